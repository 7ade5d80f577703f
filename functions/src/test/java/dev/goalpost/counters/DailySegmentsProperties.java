package dev.goalpost.counters;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import net.jqwik.api.*;
import net.jqwik.api.constraints.*;

/** The shard arithmetic of {@link DailySegments}: shares, and reservations under concurrent interleavings. */
class DailySegmentsProperties {

  /** In-memory shards with DynamoDB's semantics: each conditional ADD is atomic on its shard. */
  static final class MemoryShards implements DailySegments.Shards {
    final AtomicLongArray counts;

    MemoryShards(int k) {
      counts = new AtomicLongArray(k);
    }

    @Override
    public long addIfAtMost(int i, long amount, long limit) {
      while (true) {
        long c = counts.get(i);
        if (c + amount > limit) {
          return -c - 1;
        }
        if (counts.compareAndSet(i, c, c + amount)) {
          Thread.yield(); // widen the interleavings between shards
          return c + amount;
        }
      }
    }

    @Override
    public long add(int i, long amount) {
      return counts.addAndGet(i, amount);
    }

    long total() {
      long t = 0;
      for (int i = 0; i < counts.length(); i++) {
        t += counts.get(i);
      }
      return t;
    }
  }

  @Property
  void sharesSumToTheCapExactly(@ForAll @LongRange(min = 1, max = 1_000_000) long cap) {
    int k = DailySegments.shards(cap);
    long sum = 0;
    for (int i = 0; i < k; i++) {
      long share = DailySegments.share(cap, k, i);
      assertTrue(share >= Math.min(cap, DailySegments.MIN_SHARE), "share " + share);
      sum += share;
    }
    assertEquals(cap, sum);
    assertTrue(k >= 1 && k <= DailySegments.MAX_SHARDS);
  }

  /** Sequentially, nothing is stranded: a text is refused exactly when the total room is below its segments. */
  @Property
  void sequentialReservationsAreRefusedOnlyWhenTheRoomIsShort(
      @ForAll @LongRange(min = 1, max = 5_000) long cap,
      @ForAll @Size(max = 300) List<@IntRange(min = 1, max = 57) Integer> texts,
      @ForAll @IntRange(min = 0, max = 1000) int spread) {
    int k = DailySegments.shards(cap);
    MemoryShards shards = new MemoryShards(k);
    for (int i = 0; i < texts.size(); i++) {
      long before = shards.total();
      int n = texts.get(i);
      Optional<List<DailySegments.Part>> got = DailySegments.take(shards, cap, (spread + i) % k, n);
      if (got.isPresent()) {
        assertEquals(n, got.get().stream().mapToLong(DailySegments.Part::amount).sum());
        assertEquals(before + n, shards.total());
      } else {
        assertTrue(cap - before < n, "refused " + n + " with room " + (cap - before));
        assertEquals(before, shards.total());
      }
      assertTrue(shards.total() <= cap);
    }
  }

  /**
   * Many threads reserving (and some releasing, as a refused transaction does) at once never take the shards
   * past the cap, nor any shard past its share; what stays counted is exactly what was kept.
   */
  @Property(tries = 60)
  void concurrentReservationsNeverExceedTheCap(
      @ForAll @LongRange(min = 1, max = 3_000) long cap,
      @ForAll @IntRange(min = 2, max = 12) int threads,
      @ForAll @IntRange(min = 1, max = 60) int perThread,
      @ForAll @IntRange(min = 1, max = 10) int maxSegments) throws Exception {
    int k = DailySegments.shards(cap);
    MemoryShards shards = new MemoryShards(k);
    AtomicLong kept = new AtomicLong();
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
          ThreadLocalRandom r = ThreadLocalRandom.current();
          for (int i = 0; i < perThread; i++) {
            int n = r.nextInt(1, maxSegments + 1);
            var got = DailySegments.take(shards, cap, r.nextInt(k), n);
            if (got.isPresent()) {
              if (r.nextInt(5) == 0) { // the transaction was refused: give it back
                got.get().forEach(p -> shards.add(p.shard(), -p.amount()));
              } else {
                kept.addAndGet(n);
              }
            }
            long total = shards.total();
            if (total > cap) {
              failures.add(new AssertionError("total " + total + " > cap " + cap));
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    assertTrue(failures.isEmpty(), failures.toString());
    assertEquals(kept.get(), shards.total());
    assertTrue(shards.total() <= cap);
    for (int i = 0; i < k; i++) {
      assertTrue(shards.counts.get(i) <= DailySegments.share(cap, k, i));
    }
  }

  @Example
  void aWarningStepIsCrossedOncePerStep() {
    assertTrue(DailySegments.crossesWarningStep(79, 80, 100));
    assertFalse(DailySegments.crossesWarningStep(80, 84, 100));
    assertTrue(DailySegments.crossesWarningStep(84, 85, 100));
    assertTrue(DailySegments.crossesWarningStep(0, 100, 100));
    assertFalse(DailySegments.crossesWarningStep(0, 79, 100));
  }

  @Example
  void aShardAlreadyPastItsShareTakesNothing() {
    MemoryShards shards = new MemoryShards(1);
    shards.add(0, 12); // keyword confirmations counted unconditionally
    assertTrue(DailySegments.take(shards, 10, 0, 1).isEmpty());
    assertEquals(12, shards.total());
  }
}
