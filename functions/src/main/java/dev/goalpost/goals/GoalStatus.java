package dev.goalpost.goals;

/** Always computed from the clock by {@link GoalSchedule#statusAt}; never stored. */
public enum GoalStatus {
  DRAFT, SCHEDULED, ACTIVE, COMPLETED, PAUSED
}
