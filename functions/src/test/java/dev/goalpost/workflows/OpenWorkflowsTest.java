package dev.goalpost.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.goals.GoalSchedule.ScriptAccess;
import dev.goalpost.goals.GoalStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenWorkflowsTest {

  /** The SPEC §2 row of a status (reminders: inside the reminder window or not; unread: ever active or not). */
  private static GoalSchedule.Workflows row(GoalStatus status, boolean inReminderWindow, boolean wasActive) {
    return switch (status) {
      case DRAFT -> new GoalSchedule.Workflows(status, false, false, false, ScriptAccess.NONE, false);
      case SCHEDULED -> new GoalSchedule.Workflows(status, false, false, wasActive, ScriptAccess.ALL, false);
      case ACTIVE -> new GoalSchedule.Workflows(status, true, inReminderWindow, true, ScriptAccess.ALL, true);
      case COMPLETED -> new GoalSchedule.Workflows(status, false, false, true, ScriptAccess.AGENT_CREATED_ONLY, false);
      case PAUSED -> new GoalSchedule.Workflows(status, false, false, false, ScriptAccess.AGENT_CREATED_ONLY, false);
    };
  }

  @ParameterizedTest(name = "{0} {1} window={2} wasActive={3} hours={4} cap={5} -> initial={6} reminders={7} unread={8} pool={9}")
  @CsvSource({
      // status,  strategy, window, wasActive, hoursOpen, capReached, initial, reminders, unread, pool
      "DRAFT,     ANYONE,   false, false, true,  false, false, false, false, ANY",
      "SCHEDULED, ANYONE,   false, false, true,  false, false, false, false, ANY",
      "SCHEDULED, ASSIGNED, false, true,  true,  false, false, false, true,  ari",
      "ACTIVE,    ANYONE,   false, true,  true,  false, true,  false, true,  ANY",
      "ACTIVE,    ANYONE,   true,  true,  true,  false, true,  true,  true,  ANY",
      "ACTIVE,    ASSIGNED, true,  true,  true,  false, true,  true,  true,  ari",
      "ACTIVE,    ANYONE,   true,  true,  false, false, false, false, false, ANY",
      "ACTIVE,    ASSIGNED, true,  true,  true,  true,  false, false, true,  ari",
      "COMPLETED, ANYONE,   false, true,  true,  false, false, false, true,  ANY",
      "COMPLETED, ASSIGNED, false, true,  false, false, false, false, false, ari",
      "PAUSED,    ANYONE,   true,  true,  true,  false, false, false, false, ANY",
      "PAUSED,    ASSIGNED, false, true,  true,  false, false, false, false, ari",
  })
  void whichWorkflowsAreOpen(GoalStatus status, AssignmentStrategy strategy, boolean window, boolean wasActive,
                             boolean hoursOpen, boolean capReached, boolean initial, boolean reminders,
                             boolean unread, String pool) {
    OpenWorkflows open = OpenWorkflows.of(row(status, window, wasActive), strategy, "ari", hoursOpen, capReached);
    assertThat(open).isEqualTo(new OpenWorkflows(initial, reminders, unread, pool));
  }
}
