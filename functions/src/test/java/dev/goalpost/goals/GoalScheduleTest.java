package dev.goalpost.goals;

import static dev.goalpost.goals.GoalSchedule.ScriptAccess.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoalScheduleTest {
  static final Instant AVAILABLE = Instant.parse("2026-12-01T14:00:00Z");
  static final Instant CLOSE = Instant.parse("2026-12-08T02:00:00Z");
  static final Instant PAUSED_AT = Instant.parse("2026-11-20T00:00:00Z");
  static final Duration MS = Duration.ofMillis(1);

  static Stream<Arguments> statusAtEveryBoundary() {
    return Stream.of(
        Arguments.of("long before", AVAILABLE.minus(Duration.ofDays(40)), false, GoalStatus.SCHEDULED),
        Arguments.of("1 ms before available", AVAILABLE.minus(MS), false, GoalStatus.SCHEDULED),
        Arguments.of("at available", AVAILABLE, false, GoalStatus.ACTIVE),
        Arguments.of("1 ms after available", AVAILABLE.plus(MS), false, GoalStatus.ACTIVE),
        Arguments.of("1 ms before close", CLOSE.minus(MS), false, GoalStatus.ACTIVE),
        Arguments.of("at close", CLOSE, false, GoalStatus.COMPLETED),
        Arguments.of("1 ms after close", CLOSE.plus(MS), false, GoalStatus.COMPLETED),
        Arguments.of("paused, 1 ms before available", AVAILABLE.minus(MS), true, GoalStatus.PAUSED),
        Arguments.of("paused, at available", AVAILABLE, true, GoalStatus.PAUSED),
        Arguments.of("paused, 1 ms before close", CLOSE.minus(MS), true, GoalStatus.PAUSED),
        Arguments.of("paused, at close: the close date wins", CLOSE, true, GoalStatus.COMPLETED));
  }

  @ParameterizedTest(name = "{0} -> {3}")
  @MethodSource
  void statusAtEveryBoundary(String label, Instant now, boolean paused, GoalStatus expected) {
    Goal g = Goals.launched(AVAILABLE, CLOSE).pausedAt(paused ? PAUSED_AT : null).build();
    assertThat(GoalSchedule.statusAt(g, now)).isEqualTo(expected);
  }

  @Test
  void aGoalNeverLaunchedIsADraftWhateverItsDates() {
    Goal g = Goals.draft().workflowsAvailableAt(AVAILABLE).workflowsCloseAt(CLOSE).build();
    assertThat(GoalSchedule.statusAt(g, AVAILABLE.plus(MS))).isEqualTo(GoalStatus.DRAFT);
    assertThat(GoalSchedule.workflowsAt(g, AVAILABLE.plus(MS)).scripts()).isEqualTo(NONE);
  }

  static Stream<Arguments> workflowTable() {
    Instant remindersFrom = AVAILABLE.plus(Duration.ofDays(2));
    Goal.Builder base = Goals.launched(AVAILABLE, CLOSE).remindersEnabled(true)
        .remindersAvailableAt(remindersFrom).remindersCloseAt(CLOSE);
    return Stream.of(
        // status, goal, now: initial, reminders, unread, scripts, lead actions
        Arguments.of("scheduled, never active", base.build(), AVAILABLE.minus(MS),
            new GoalSchedule.Workflows(GoalStatus.SCHEDULED, false, false, false, ALL, false)),
        Arguments.of("scheduled again after being active", base.wasActive(true).build(), AVAILABLE.minus(MS),
            new GoalSchedule.Workflows(GoalStatus.SCHEDULED, false, false, true, ALL, false)),
        Arguments.of("active, before the reminder window", base.wasActive(false).build(), remindersFrom.minus(MS),
            new GoalSchedule.Workflows(GoalStatus.ACTIVE, true, false, true, ALL, true)),
        Arguments.of("active, in the reminder window", base.build(), remindersFrom,
            new GoalSchedule.Workflows(GoalStatus.ACTIVE, true, true, true, ALL, true)),
        Arguments.of("completed", base.build(), CLOSE,
            new GoalSchedule.Workflows(GoalStatus.COMPLETED, false, false, true, AGENT_CREATED_ONLY, false)),
        Arguments.of("paused while active", base.pausedAt(PAUSED_AT).build(), remindersFrom,
            new GoalSchedule.Workflows(GoalStatus.PAUSED, false, false, false, AGENT_CREATED_ONLY, false)),
        Arguments.of("reminders disabled", Goals.launched(AVAILABLE, CLOSE).build(), remindersFrom,
            new GoalSchedule.Workflows(GoalStatus.ACTIVE, true, false, true, ALL, true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void workflowTable(String label, Goal g, Instant now, GoalSchedule.Workflows expected) {
    assertThat(GoalSchedule.workflowsAt(g, now)).isEqualTo(expected);
  }

  @Test
  void aGoalStartingAtTheDstChangeTurnsActiveAtThatInstantInTheGroupZone() {
    ZoneId chicago = ZoneId.of("America/Chicago");
    // 2027-03-14: Chicago clocks jump 02:00 -> 03:00 CDT, so 03:00 local is 08:00Z.
    Instant available = ZonedDateTime.of(2027, 3, 14, 3, 0, 0, 0, chicago).toInstant();
    assertThat(available).isEqualTo(Instant.parse("2027-03-14T08:00:00Z"));
    Goal g = Goals.launched(available, available.plus(Duration.ofDays(3))).build();
    assertThat(GoalSchedule.statusAt(g, available.minus(MS))).isEqualTo(GoalStatus.SCHEDULED);
    assertThat(GoalSchedule.statusAt(g, available)).isEqualTo(GoalStatus.ACTIVE);
  }
}
