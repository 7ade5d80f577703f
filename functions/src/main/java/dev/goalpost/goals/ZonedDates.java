package dev.goalpost.goals;

import dev.goalpost.platform.http.Violations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Goal dates are instants; people write and read them in the group's time zone (SPEC §2).
 * Input: an ISO instant with offset ({@code 2026-12-10T18:00:00-06:00}, {@code …Z}) is taken as is; a local
 * date-time ({@code 2026-12-10T18:00}) or date ({@code 2026-12-10}, meaning its midnight) is read in the
 * group's zone. A local time that does not exist there (the hour skipped when DST starts) is refused; one
 * that happens twice (the hour repeated when DST ends) means the first of the two.
 */
public final class ZonedDates {
  private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private ZonedDates() {}

  public static Optional<Instant> parse(String raw, ZoneId zone, String field, Violations v) {
    String s = raw.trim();
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException notOffset) {
      // falls through: a local date-time or date in the group's zone
    }
    LocalDateTime local;
    try {
      local = LocalDateTime.parse(s);
    } catch (DateTimeParseException notDateTime) {
      try {
        local = LocalDate.parse(s).atStartOfDay();
      } catch (DateTimeParseException notDate) {
        v.add(field, "'" + raw + "' is not a date-time; use ISO 8601, e.g. 2026-12-10T18:00:00-06:00, or "
            + "2026-12-10T18:00 in the group's time zone (" + zone.getId() + ")");
        return Optional.empty();
      }
    }
    var rules = zone.getRules();
    var offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      var transition = rules.getTransition(local);
      v.add(field, local + " does not exist in " + zone.getId() + ": clocks jump from "
          + transition.getDateTimeBefore().toLocalTime() + " to " + transition.getDateTimeAfter().toLocalTime()
          + " that day");
      return Optional.empty();
    }
    return Optional.of(local.atOffset(offsets.getFirst()).toInstant());
  }

  /** An instant as the group reads it: {@code 2026-12-10T18:00:00-06:00}; null stays null. */
  public static String format(Instant instant, ZoneId zone) {
    return instant == null ? null : OUT.format(instant.atZone(zone));
  }
}
