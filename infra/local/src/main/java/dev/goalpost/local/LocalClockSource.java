package dev.goalpost.local;

import dev.goalpost.platform.ClockSource;
import java.time.Clock;

/** Registered via META-INF/services: hosted functions read {@link LocalClock#shared()} instead of system time. */
public final class LocalClockSource implements ClockSource {
  @Override
  public Clock clock() {
    return LocalClock.shared();
  }
}
