package dev.goalpost.goals;

import java.time.Instant;
import java.util.List;

/** Test goals. */
final class Goals {
  static final Instant CREATED = Instant.parse("2026-11-01T12:00:00Z");

  private Goals() {}

  static Goal.Builder draft() {
    return new Goal("goal_1", "org1", "grp_1", GoalType.EVENT, "Rally", null,
        Instant.parse("2026-12-10T00:00:00Z"), AssignmentStrategy.ANYONE, null, Targeting.EVERYONE,
        new Scripts(List.of(new Script("scr_1", "Hi <first name>! Reply STOP to opt out")), List.of(), List.of(),
            List.of()),
        null, null, false, null, null, null, null, false, null, CREATED, CREATED, 1).toBuilder();
  }

  static Goal.Builder launched(Instant available, Instant close) {
    return draft().workflowsAvailableAt(available).workflowsCloseAt(close).launchedAt(CREATED);
  }
}
