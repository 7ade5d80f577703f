package dev.goalpost.race;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.counters.DailySegments;
import dev.goalpost.groups.Group;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The 10DLC cap without a hot item, against the local cloud's DynamoDB: many capped sends reserving at once
 * (some released, as a refused send transaction does) never take the day's total past a small cap, fill it
 * (nothing stranded by the shards), and fire the 80 % warning exactly once.
 */
@LocalCloudTest
class DailySegmentsIT {
  static final Instant NOW = Instant.parse("2026-12-02T16:00:00Z");
  static final int CAP = 300; // 3 shards of 100
  static final int SENDERS = 16;
  static final int TEXTS = 240; // 1-3 segments each: ~480 asked for, more than the cap

  private final LocalCloud cloud;

  DailySegmentsIT(LocalCloud cloud) {
    this.cloud = cloud;
  }

  @Test
  void concurrentCappedSendsNeverPassTheCapAndWarnOnce() throws Exception {
    var dynamo = cloud.clients().dynamo();
    var table = new Table(cloud.resources().ref("GoalpostTable").orElseThrow());
    DailySegments segments = new DailySegments(dynamo, table);
    String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
    Group group = new Group("grp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), org, "Cap",
        "America/Chicago", List.of("+17375550100"), Map.of(), null, 30, 60, CAP, NOW, NOW, 1);
    assertThat(DailySegments.shards(CAP)).isEqualTo(3);

    AtomicLong kept = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong warnings = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(SENDERS)) {
      for (int i = 0; i < TEXTS; i++) {
        int n = 1 + i % 3;
        String thread = "th_" + i;
        boolean releases = i % 7 == 0; // its send transaction was refused
        futures.add(pool.submit(() -> {
          start.await();
          var r = segments.reserve(group, NOW, n, thread);
          if (r.isEmpty()) {
            refused.incrementAndGet();
            return null;
          }
          if (r.get().warned()) {
            warnings.incrementAndGet();
          }
          if (releases) {
            segments.release(r.get());
          } else {
            kept.addAndGet(n);
          }
          long total = segments.today(group, NOW);
          assertThat(total).as("the day's total while sending").isLessThanOrEqualTo(CAP);
          return null;
        }));
      }
      start.countDown();
      for (var f : futures) {
        f.get();
      }
    }
    long total = segments.today(group, NOW);
    assertThat(total).as("counted = kept").isEqualTo(kept.get()).isLessThanOrEqualTo(CAP);
    assertThat(refused.get()).as("some sends refused at the cap").isPositive();
    // Sequential top-up: whatever room is left is usable (nothing stranded), and then nothing more fits.
    for (var r = segments.reserve(group, NOW, 1, "th_fill_" + total); r.isPresent();
         r = segments.reserve(group, NOW, 1, "th_fill_" + total)) {
      total++;
      if (r.get().warned()) {
        warnings.incrementAndGet();
      }
    }
    assertThat(segments.today(group, NOW)).isEqualTo(CAP);
    assertThat(warnings.get()).as("80 % warnings fired").isEqualTo(1);
    assertThat(segments.warned(group, NOW)).isTrue();

    // Uncapped texts (answers to a contact who wrote) still go, counted past the cap in the overflow item.
    var answer = segments.add(group, NOW, 2, "th_answer");
    assertThat(answer.overflow()).isTrue();
    assertThat(segments.today(group, NOW)).isEqualTo(CAP + 2);
  }
}
