package dev.goalpost.local.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
  private static final Instant ANCHOR = Instant.parse("2026-12-01T10:00:00Z");

  private static Instant next(String expression, String zone, String after) {
    return ScheduleExpression.parse(expression, zone, ANCHOR).nextAfter(Instant.parse(after));
  }

  @Test
  void rateCountsPeriodsFromCreation() {
    assertThat(next("rate(5 minutes)", null, "2026-12-01T10:00:00Z")).isEqualTo("2026-12-01T10:05:00Z");
    assertThat(next("rate(5 minutes)", null, "2026-12-01T10:04:59Z")).isEqualTo("2026-12-01T10:05:00Z");
    assertThat(next("rate(5 minutes)", null, "2026-12-01T10:05:00Z")).isEqualTo("2026-12-01T10:10:00Z");
    assertThat(next("rate(1 hour)", null, "2026-12-01T15:30:00Z")).isEqualTo("2026-12-01T16:00:00Z");
    assertThat(next("rate(1 day)", null, "2026-11-01T00:00:00Z")).isEqualTo("2026-12-02T10:00:00Z");
  }

  @Test
  void cronFiresAtTheNextMatchingMinute() {
    assertThat(next("cron(0 12 * * ? *)", null, "2026-12-01T10:00:00Z")).isEqualTo("2026-12-01T12:00:00Z");
    assertThat(next("cron(0 12 * * ? *)", null, "2026-12-01T12:00:00Z")).isEqualTo("2026-12-02T12:00:00Z");
    assertThat(next("cron(0/15 * * * ? *)", null, "2026-12-01T10:07:00Z")).isEqualTo("2026-12-01T10:15:00Z");
  }

  @Test
  void cronDayOfWeekUsesAwsNumberingAndNames() {
    // 2026-12-05 is a Saturday; MON-FRI skips to Monday the 7th. In AWS numbering 2 = Monday.
    assertThat(next("cron(0 9 ? * MON-FRI *)", null, "2026-12-05T00:00:00Z")).isEqualTo("2026-12-07T09:00:00Z");
    assertThat(next("cron(0 9 ? * 2 *)", null, "2026-12-05T00:00:00Z")).isEqualTo("2026-12-07T09:00:00Z");
  }

  @Test
  void cronLastDayOfMonthAndYearField() {
    assertThat(next("cron(0 0 L * ? *)", null, "2027-02-10T00:00:00Z")).isEqualTo("2027-02-28T00:00:00Z");
    assertThat(next("cron(0 0 1 1 ? 2030)", null, "2026-12-01T00:00:00Z")).isEqualTo("2030-01-01T00:00:00Z");
  }

  @Test
  void cronHonoursTheScheduleTimeZoneAcrossDaylightSaving() {
    // 02:30 Chicago is 08:30Z in winter (CST) and 07:30Z in summer (CDT).
    assertThat(next("cron(30 2 * * ? *)", "America/Chicago", "2027-01-15T08:00:00Z")).isEqualTo("2027-01-15T08:30:00Z");
    assertThat(next("cron(30 2 * * ? *)", "America/Chicago", "2027-07-15T07:00:00Z")).isEqualTo("2027-07-15T07:30:00Z");
  }

  @Test
  void atFiresOnceThenNever() {
    assertThat(next("at(2026-12-24T18:00:00)", "America/New_York", "2026-12-01T00:00:00Z")).isEqualTo("2026-12-24T23:00:00Z");
    assertThat(next("at(2026-12-24T18:00:00)", "America/New_York", "2026-12-25T00:00:00Z")).isNull();
  }

  @Test
  void unsupportedExpressionsAreRefusedClearly() {
    assertThatThrownBy(() -> next("every hour", null, "2026-12-01T00:00:00Z")).hasMessageContaining("every hour");
    assertThatThrownBy(() -> next("cron(0 9 ? * 2#1 *)", null, "2026-12-01T00:00:00Z")).hasMessageContaining("#");
    assertThatThrownBy(() -> next("cron(0 9 * *)", null, "2026-12-01T00:00:00Z")).hasMessageContaining("6 fields");
    assertThatThrownBy(() -> next("cron(61 9 * * ? *)", null, "2026-12-01T00:00:00Z")).hasMessageContaining("0..59");
  }
}
