package dev.goalpost.local.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge (Scheduler) schedule expression — {@code rate(5 minutes)}, {@code cron(0 12 * * ? *)} or
 * {@code at(2026-12-01T15:00:00)} — reduced to one question: when is it next due after a given instant?
 */
public sealed interface ScheduleExpression {
  Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
  Pattern CRON = Pattern.compile("cron\\((.*)\\)");
  Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

  /** The first due instant strictly after {@code after}, or null if it will never be due again. */
  Instant nextAfter(Instant after);

  /** Every {@code period}, counted from {@code anchor} (when the schedule was created). */
  record Rate(Duration period, Instant anchor) implements ScheduleExpression {
    @Override
    public Instant nextAfter(Instant after) {
      if (after.isBefore(anchor)) {
        return anchor.plus(period);
      }
      long elapsed = Duration.between(anchor, after).toMillis();
      long periods = elapsed / period.toMillis() + 1;
      return anchor.plus(period.multipliedBy(periods));
    }
  }

  record At(LocalDateTime at, ZoneId zone) implements ScheduleExpression {
    @Override
    public Instant nextAfter(Instant after) {
      Instant due = at.atZone(zone).toInstant();
      return due.isAfter(after) ? due : null;
    }
  }

  record Cron(CronFields fields, ZoneId zone) implements ScheduleExpression {
    @Override
    public Instant nextAfter(Instant after) {
      return fields.nextAfter(after, zone);
    }
  }

  /** Parses {@code expression}; {@code timeZone} (IANA, may be null = UTC) applies to cron and at. */
  static ScheduleExpression parse(String expression, String timeZone, Instant anchor) {
    String e = expression.trim();
    ZoneId zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone);
    Matcher rate = RATE.matcher(e.toLowerCase(Locale.ROOT));
    if (rate.matches()) {
      long n = Long.parseLong(rate.group(1));
      if (n <= 0) {
        throw new IllegalArgumentException("A rate must be positive: " + expression);
      }
      Duration unit = switch (rate.group(2)) {
        case "minute", "minutes" -> Duration.ofMinutes(1);
        case "hour", "hours" -> Duration.ofHours(1);
        default -> Duration.ofDays(1);
      };
      return new Rate(unit.multipliedBy(n), anchor);
    }
    Matcher cron = CRON.matcher(e);
    if (cron.matches()) {
      return new Cron(CronFields.parse(cron.group(1)), zone);
    }
    Matcher at = AT.matcher(e);
    if (at.matches()) {
      return new At(LocalDateTime.parse(at.group(1)), zone);
    }
    throw new IllegalArgumentException("Unsupported schedule expression: " + expression
        + " (expected rate(N minutes|hours|days), cron(min hour dom month dow year) or at(yyyy-mm-ddThh:mm:ss))");
  }
}
