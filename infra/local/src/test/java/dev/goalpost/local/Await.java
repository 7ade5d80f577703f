package dev.goalpost.local;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline (never for a fixed time): for effects of real-time machinery. The
 * polling itself is {@link LocalCloud#await}'s; this adds the value seen, for the test and for the failure.
 */
final class Await {
  private Await() {}

  static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<T> done) {
    AtomicReference<T> last = new AtomicReference<>();
    try {
      LocalCloud.await(timeout, what, () -> {
        last.set(probe.get());
        return done.test(last.get());
      });
    } catch (TimeoutException e) {
      throw new AssertionError(e.getMessage() + "; last seen: " + last.get());
    }
    return last.get();
  }
}
