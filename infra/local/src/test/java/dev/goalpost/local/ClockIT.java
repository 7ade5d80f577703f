package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /_local/clock} moves the one clock the functions, the authorizer and the schedules read. */
@LocalCloudTest
class ClockIT {
  private final ApiClient api;

  ClockIT(ApiClient api) {
    this.api = api;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  @Test
  void setFreezesAtTheInstantAndFunctionsSeeIt() {
    Instant at = Instant.parse("2026-12-01T15:00:00Z");

    ApiClient.Reply r = api.post("/_local/clock", null, Map.of("set", "2026-12-01T09:00:00-06:00", "freeze", true));

    assertThat(r.status()).isEqualTo(200);
    assertThat(Instant.parse(r.json().path("now").asText())).isEqualTo(at);
    assertThat(r.json().path("frozen").asBoolean()).isTrue();
    assertThat(api.now()).isEqualTo(at);
    String token = api.token("u", "org-a", List.of("admin"), List.of());
    assertThat(api.get("/_probe/echo/clock", token).json().path("functionNow").asText()).isEqualTo(at.toString());
  }

  @Test
  void advanceMovesByExactlyTheDurationWhenFrozen() {
    api.freezeClock(Instant.parse("2026-12-01T15:00:00Z"));

    Instant moved = api.advanceClock(Duration.ofMinutes(61));

    assertThat(moved).isEqualTo(Instant.parse("2026-12-01T16:01:00Z"));
    assertThat(api.now()).isEqualTo(moved);
  }

  @Test
  void setWithoutFreezeKeepsTimeRunningFromTheNewInstant() {
    ApiClient.Reply r = api.post("/_local/clock", null, Map.of("set", "2030-01-01T00:00:00Z"));

    assertThat(r.json().path("frozen").asBoolean()).isFalse();
    assertThat(api.now()).isBetween(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:05:00Z"));
  }

  @Test
  void resetReturnsToRealTime() {
    api.freezeClock(Instant.parse("2001-01-01T00:00:00Z"));

    Instant now = api.resetClock();

    assertThat(Duration.between(Instant.now(), now).abs()).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void badInstantIsRefusedNamingSet() {
    assertProblem(Map.of("set", "tomorrow"), "set");
  }

  @Test
  void badDurationIsRefusedNamingAdvance() {
    assertProblem(Map.of("advance", "61 minutes"), "advance");
  }

  @Test
  void wrongTypeIsRefusedNamingTheField() {
    assertProblem(Map.of("advance", 61), "advance");
  }

  @Test
  void unknownFieldIsRefusedNamingIt() {
    assertProblem(Map.of("jump", "PT1H"), "jump");
  }

  @Test
  void requestWithNeitherSetNorAdvanceIsRefused() {
    assertProblem(Map.of("freeze", true), "set");
  }

  @Test
  void nonJsonBodyIsRefused() {
    ApiClient.Reply r = api.raw("POST", "/_local/clock", Map.of(), "not json".getBytes());

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
  }

  private void assertProblem(Map<String, Object> body, String field) {
    Instant before = api.now();

    ApiClient.Reply r = api.post("/_local/clock", null, body);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    assertThat(r.json().path("errors")).extracting(e -> e.path("field").asText()).contains(field);
    assertThat(api.now()).isCloseTo(before, within(30, ChronoUnit.SECONDS));
  }
}
