package dev.goalpost.goals;

import java.time.Instant;
import java.util.Optional;

/** What the clock does to a launched goal, and the date that triggers each (SPEC §9). */
public enum TransitionKind {
  /** workflowsAvailableAt passed: targeting evaluated, initial batches built, goal ACTIVE. */
  ACTIVATE,
  /** remindersAvailableAt passed (reminders enabled): reminder batches built from the Yes results. */
  REMINDERS_OPEN,
  /** workflowsCloseAt passed: goal COMPLETED, initial and reminder claims closed; unread work continues. */
  COMPLETE;

  public Optional<Instant> dateOf(Goal g) {
    return switch (this) {
      case ACTIVATE -> Optional.ofNullable(g.workflowsAvailableAt());
      case REMINDERS_OPEN -> g.remindersEnabled() ? Optional.ofNullable(g.remindersAvailableAt()) : Optional.empty();
      case COMPLETE -> Optional.ofNullable(g.workflowsCloseAt());
    };
  }

  public String marker(Instant at) {
    return name() + "@" + at.toEpochMilli();
  }
}
