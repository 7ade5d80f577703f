package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalClockTest {
  /** System time the test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock system = new ManualClock();
  private final LocalClock clock = new LocalClock(system);

  @Test
  void runningClockFollowsSystemTimePlusOffset() {
    clock.set(Instant.parse("2026-06-01T12:00:00Z"), false);
    system.now = system.now.plusSeconds(90);

    assertThat(clock.instant()).isEqualTo("2026-06-01T12:01:30Z");
    assertThat(clock.isFrozen()).isFalse();
  }

  @Test
  void frozenClockStandsStillUntilAdvanced() {
    clock.set(Instant.parse("2026-06-01T12:00:00Z"), true);
    system.now = system.now.plusSeconds(90);

    assertThat(clock.instant()).isEqualTo("2026-06-01T12:00:00Z");
    assertThat(clock.advance(Duration.ofMinutes(61))).isEqualTo("2026-06-01T13:01:00Z");
    assertThat(clock.isFrozen()).isTrue();
  }

  @Test
  void advanceKeepsARunningClockRunning() {
    clock.advance(Duration.ofHours(1));
    system.now = system.now.plusSeconds(1);

    assertThat(clock.instant()).isEqualTo("2026-01-01T01:00:01Z");
  }

  @Test
  void resetReturnsToSystemTime() {
    clock.set(Instant.parse("2030-01-01T00:00:00Z"), true);

    assertThat(clock.reset()).isEqualTo(system.now);
  }

  @Test
  void otherZonesShareTheSameInstant() {
    clock.set(Instant.parse("2026-06-01T12:00:00Z"), true);

    assertThat(clock.withZone(ZoneId.of("America/Chicago")).instant()).isEqualTo(clock.instant());
  }

  @Test
  void serviceLoaderGivesFunctionsTheSharedClock() {
    assertThat(dev.goalpost.platform.ClockSource.runtimeClock()).isSameAs(LocalClock.shared());
  }
}
