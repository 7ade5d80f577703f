package dev.goalpost.platform;

/**
 * Named points between the steps of a write that spans several requests (after a transaction commits, before
 * a hand-off). Production passes {@link #NONE}; tests pass one that throws at a chosen point, as a function
 * that dies there would, then redeliver and check that every effect happened exactly once.
 */
@FunctionalInterface
public interface CrashPoints {
  CrashPoints NONE = point -> { };

  /** Called when the work reaches {@code point}; throwing here is a crash at that point. */
  void reached(String point);
}
