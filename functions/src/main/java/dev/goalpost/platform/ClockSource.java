package dev.goalpost.platform;

import java.time.Clock;

/**
 * Supplies the clock every handler reads. In Lambda none is installed and the system UTC clock is used; the
 * local cloud registers one (via {@link java.util.ServiceLoader}) whose time {@code POST /_local/clock} moves.
 */
public interface ClockSource {
  Clock clock();

  /** The installed source's clock, or the system UTC clock when none is on the class path. */
  static Clock runtimeClock() {
    return java.util.ServiceLoader.load(ClockSource.class).findFirst()
        .map(ClockSource::clock)
        .orElseGet(Clock::systemUTC);
  }
}
