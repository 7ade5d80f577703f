package dev.goalpost.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one clock every hosted function, the JWT authorizer and the schedules read: real time shifted by an
 * offset, or frozen at an instant. Moving it is atomic, so concurrent readers see either the old or the new
 * time, never a mix.
 */
public final class LocalClock extends Clock {
  /** How the clock tells time: running (system time + offset) or frozen at an instant. */
  public sealed interface Mode permits Running, Frozen {}

  public record Running(Duration offset) implements Mode {}

  public record Frozen(Instant at) implements Mode {}

  private static final LocalClock SHARED = new LocalClock(Clock.systemUTC());

  private final Clock system;
  private final AtomicReference<Mode> mode = new AtomicReference<>(new Running(Duration.ZERO));

  LocalClock(Clock system) {
    this.system = system;
  }

  /** The instance {@link LocalClockSource} hands to the functions. */
  public static LocalClock shared() {
    return SHARED;
  }

  @Override
  public Instant instant() {
    return switch (mode.get()) {
      case Running r -> system.instant().plus(r.offset());
      case Frozen f -> f.at();
    };
  }

  /** Jumps to {@code at}; with {@code frozen} time then stands still until moved again. */
  public Instant set(Instant at, boolean frozen) {
    mode.set(frozen ? new Frozen(at) : new Running(Duration.between(system.instant(), at)));
    return instant();
  }

  /** Moves time forward (or back, for a negative duration), keeping the running/frozen mode. */
  public Instant advance(Duration by) {
    Mode next = mode.updateAndGet(m -> switch (m) {
      case Running r -> new Running(r.offset().plus(by));
      case Frozen f -> new Frozen(f.at().plus(by));
    });
    return switch (next) {
      case Running r -> system.instant().plus(r.offset());
      case Frozen f -> f.at();
    };
  }

  /** Back to real time. */
  public Instant reset() {
    mode.set(new Running(Duration.ZERO));
    return instant();
  }

  public boolean isFrozen() {
    return mode.get() instanceof Frozen;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** Zone changes would fork the shared state; the local cloud keeps one UTC clock on purpose. */
  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(ZoneOffset.UTC) ? this : new Clock() {
      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId z) {
        return LocalClock.this.withZone(z);
      }

      @Override
      public Instant instant() {
        return LocalClock.this.instant();
      }
    };
  }
}
