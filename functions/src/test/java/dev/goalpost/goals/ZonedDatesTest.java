package dev.goalpost.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.platform.http.FieldError;
import dev.goalpost.platform.http.Violations;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZonedDatesTest {
  static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2026-12-10T18:00:00-06:00, 2026-12-11T00:00:00Z",
      "2026-12-11T00:00:00Z, 2026-12-11T00:00:00Z",
      "2026-12-10T18:00, 2026-12-11T00:00:00Z",
      "2026-07-10T18:00, 2026-07-10T23:00:00Z",
      "2026-12-10, 2026-12-10T06:00:00Z",
      // 01:30 happens twice on 2026-11-01 (CDT then CST): the first one is meant.
      "2026-11-01T01:30, 2026-11-01T06:30:00Z",
  })
  void readsDatesInTheGroupsZone(String raw, String expected) {
    Violations v = new Violations();
    assertThat(ZonedDates.parse(raw, CHICAGO, "workflowsAvailableAt", v)).contains(Instant.parse(expected));
    assertThat(v.isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource({"2027-03-14T02:30", "next tuesday", "2026-13-01T00:00", "2026-12-10 18:00"})
  void refusesTimesThatDoNotExistOrCannotBeRead(String raw) {
    Violations v = new Violations();
    assertThat(ZonedDates.parse(raw, CHICAGO, "workflowsAvailableAt", v)).isEmpty();
    assertThat(v.list()).extracting(FieldError::field).containsExactly("workflowsAvailableAt");
  }

  @ParameterizedTest(name = "{0} shows as {1}")
  @CsvSource({"2026-12-11T00:00:00Z, 2026-12-10T18:00:00-06:00", "2026-07-10T23:00:00Z, 2026-07-10T18:00:00-05:00"})
  void showsInstantsWithTheGroupsOffsetOfThatDay(String instant, String shown) {
    assertThat(ZonedDates.format(Instant.parse(instant), CHICAGO)).isEqualTo(shown);
  }
}
