package dev.goalpost.goals;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock rules of SPEC §2, as pure functions of a goal and an instant. Nothing here is stored or
 * scheduled: asking at any instant gives the status of that instant.
 */
public final class GoalSchedule {
  /** Longest reach-out window, and longest reminder window. */
  public static final Duration MAX_WINDOW = Duration.ofDays(31);
  /** The same limit as calendar days, applied in the group's zone. */
  public static final java.time.Period MAX_WINDOW_DAYS = java.time.Period.ofDays(31);

  private GoalSchedule() {}

  /**
   * DRAFT until launched; PAUSED while paused unless the close date has passed; else SCHEDULED before
   * {@code workflowsAvailableAt}, ACTIVE until {@code workflowsCloseAt} (exclusive), then COMPLETED.
   */
  public static GoalStatus statusAt(Goal g, Instant now) {
    if (!g.launched()) {
      return GoalStatus.DRAFT;
    }
    boolean closed = !now.isBefore(g.workflowsCloseAt());
    if (closed) {
      return GoalStatus.COMPLETED;
    }
    if (g.pausedAt() != null) {
      return GoalStatus.PAUSED;
    }
    return now.isBefore(g.workflowsAvailableAt()) ? GoalStatus.SCHEDULED : GoalStatus.ACTIVE;
  }

  /** Whether the goal has ever been active by {@code now} (its unread work then stays open). */
  public static boolean hasBeenActive(Goal g, Instant now) {
    return g.launched() && (g.wasActive() || !now.isBefore(g.workflowsAvailableAt()));
  }

  public static boolean inReminderWindow(Goal g, Instant now) {
    return g.remindersEnabled() && g.remindersAvailableAt() != null && g.remindersCloseAt() != null
        && !now.isBefore(g.remindersAvailableAt()) && now.isBefore(g.remindersCloseAt());
  }

  /** What agents may do in this goal at {@code now}: the table of SPEC §2. */
  public static Workflows workflowsAt(Goal g, Instant now) {
    GoalStatus s = statusAt(g, now);
    return switch (s) {
      case DRAFT -> new Workflows(s, false, false, false, ScriptAccess.NONE, false);
      case SCHEDULED -> new Workflows(s, false, false, hasBeenActive(g, now), ScriptAccess.ALL, false);
      case ACTIVE -> new Workflows(s, true, inReminderWindow(g, now), true, ScriptAccess.ALL, true);
      case COMPLETED -> new Workflows(s, false, false, true, ScriptAccess.AGENT_CREATED_ONLY, false);
      case PAUSED -> new Workflows(s, false, false, false, ScriptAccess.AGENT_CREATED_ONLY, false);
    };
  }

  public enum ScriptAccess { NONE, ALL, AGENT_CREATED_ONLY }

  /** One row of the SPEC §2 table. */
  public record Workflows(GoalStatus status, boolean initial, boolean reminders, boolean unread,
                          ScriptAccess scripts, boolean leadActions) {}
}
