package dev.goalpost.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.platform.http.FieldError;
import dev.goalpost.platform.http.Violations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoalRulesTest {
  static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
  static final GoalRules.ScriptChecker FINE = (kind, body) -> List.of();
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static List<String> savedErrors(Goal g) {
    Violations v = new Violations();
    GoalRules.checkSaved(g, CHICAGO, FINE, v);
    return v.list().stream().map(FieldError::field).toList();
  }

  @ParameterizedTest(name = "window of {0} ms over 31 days -> errors {1}")
  @CsvSource({"-1, ''", "0, ''", "1, workflowsCloseAt"})
  void theReachOutWindowIsAtMost31Days(long extraMillis, String expected) {
    Instant from = Instant.parse("2026-12-01T14:00:00Z");
    Goal g = Goals.draft().workflowsAvailableAt(from)
        .workflowsCloseAt(from.plus(Duration.ofDays(31)).plusMillis(extraMillis)).build();
    assertThat(savedErrors(g)).isEqualTo(expected.isEmpty() ? List.of() : List.of(expected));
  }

  @Test
  void thirtyOneCalendarDaysAcrossTheEndOfDstAreAllowedThoughTheyAreAnHourLonger() {
    Instant from = ZonedDateTime.of(2026, 10, 20, 9, 0, 0, 0, CHICAGO).toInstant();
    Instant to = ZonedDateTime.of(2026, 11, 20, 9, 0, 0, 0, CHICAGO).toInstant();
    assertThat(Duration.between(from, to)).isEqualTo(Duration.ofDays(31).plusHours(1));
    assertThat(savedErrors(Goals.draft().workflowsAvailableAt(from).workflowsCloseAt(to).build())).isEmpty();
    assertThat(savedErrors(Goals.draft().workflowsAvailableAt(from).workflowsCloseAt(to.plusMillis(1)).build()))
        .containsExactly("workflowsCloseAt");
  }

  @Test
  void remindersHaveTheSameLimitAndFollowTheReachOut() {
    Instant from = Instant.parse("2026-12-01T14:00:00Z");
    Goal g = Goals.draft().workflowsAvailableAt(from).workflowsCloseAt(from.plus(Duration.ofDays(5)))
        .remindersEnabled(true).remindersAvailableAt(from.minusSeconds(1))
        .remindersCloseAt(from.plus(Duration.ofDays(40))).build();
    assertThat(savedErrors(g)).containsExactlyInAnyOrder("remindersCloseAt", "remindersAvailableAt");
  }

  @Test
  void launchingAnEmptyGoalListsEveryMissingField() {
    Goal g = Goals.draft().typeDate(null).scripts(Scripts.EMPTY).remindersEnabled(true).build();
    Violations v = new Violations();
    GoalRules.checkLaunchable(g, true, NOW, v);
    assertThat(v.list()).extracting(FieldError::field).containsExactlyInAnyOrder("eventStartAt",
        "workflowsAvailableAt", "workflowsCloseAt", "scripts.initial", "remindersAvailableAt", "remindersCloseAt",
        "scripts.reminder");
  }

  @Test
  void aGoalWhoseReachOutIsOverCannotBeLaunchedButALaunchedOneMayBeCompletedEarly() {
    Goal g = Goals.draft().workflowsAvailableAt(NOW.minus(Duration.ofDays(2))).workflowsCloseAt(NOW).build();
    Violations launching = new Violations();
    GoalRules.checkLaunchable(g, true, NOW, launching);
    assertThat(launching.list()).extracting(FieldError::field).containsExactly("workflowsCloseAt");
    Violations editing = new Violations();
    GoalRules.checkLaunchable(g, false, NOW, editing);
    assertThat(editing.isEmpty()).isTrue();
  }

  @Test
  void scriptProblemsAreReportedAtTheScriptsBody() {
    Goal g = Goals.draft().build();
    Violations v = new Violations();
    GoalRules.checkSaved(g, CHICAGO, (kind, body) -> List.of("needs opt-out language"), v);
    assertThat(v.list()).containsExactly(new FieldError("scripts.initial[0].body", "needs opt-out language"));
  }
}
