package dev.goalpost.local.triggers;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * The six fields of an AWS cron expression — minutes, hours, day-of-month, month, day-of-week (1 = SUN … 7 =
 * SAT), year — with {@code *}, {@code ?}, lists, ranges, steps, names (JAN, MON) and {@code L} as last day of
 * month. {@code W} and {@code #} are refused with a clear message rather than approximated.
 */
public record CronFields(BitSet minutes, BitSet hours, BitSet daysOfMonth, boolean lastDayOfMonth, BitSet months,
                         BitSet daysOfWeek, BitSet years, boolean anyDayOfMonth, boolean anyDayOfWeek) {

  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  /** How far ahead to look before deciding the expression never fires again. */
  private static final int HORIZON_YEARS = 10;

  public static CronFields parse(String text) {
    String[] f = text.trim().toUpperCase(Locale.ROOT).split("\\s+");
    if (f.length != 6) {
      throw new IllegalArgumentException("A cron expression has 6 fields (min hour dom month dow year): cron(" + text + ")");
    }
    for (String field : f) {
      if (field.contains("W") && !field.contains("WED") || field.contains("#")) {
        throw new IllegalArgumentException("The local cloud does not support W or # in cron(" + text + ")");
      }
    }
    boolean last = f[2].equals("L");
    return new CronFields(
        field(f[0], 0, 59, List.of(), 0),
        field(f[1], 0, 23, List.of(), 0),
        last ? new BitSet() : field(f[2], 1, 31, List.of(), 0),
        last,
        field(f[3], 1, 12, MONTHS, 1),
        field(f[4], 1, 7, DAYS, 1),
        field(f[5], 1970, 2199, List.of(), 0),
        f[2].equals("*") || f[2].equals("?"),
        f[4].equals("*") || f[4].equals("?"));
  }

  private static BitSet field(String spec, int min, int max, List<String> names, int nameBase) {
    BitSet bits = new BitSet();
    for (String part : spec.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = Integer.parseInt(part.substring(slash + 1));
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ab = range.split("-", 2);
        from = value(ab[0], names, nameBase);
        to = value(ab[1], names, nameBase);
      } else {
        from = value(range, names, nameBase);
        to = slash >= 0 ? max : from;
      }
      if (from < min || to > max || from > to || step <= 0) {
        throw new IllegalArgumentException("Cron field '" + spec + "' is outside " + min + ".." + max);
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String s, List<String> names, int base) {
    int i = names.indexOf(s);
    return i >= 0 ? i + base : Integer.parseInt(s);
  }

  /** The first whole minute strictly after {@code after} that matches, in {@code zone}; null if none soon. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(HORIZON_YEARS);
    while (t.isBefore(limit)) {
      if (!years.get(t.getYear())) {
        t = t.plusYears(1).withDayOfYear(1).truncatedTo(ChronoUnit.DAYS);
      } else if (!months.get(t.getMonthValue())) {
        t = t.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
      } else if (!dayMatches(t.toLocalDate())) {
        t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS);
      } else if (!hours.get(t.getHour())) {
        t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t.toInstant();
      }
    }
    return null;
  }

  private boolean dayMatches(LocalDate d) {
    boolean dom = lastDayOfMonth ? d.getDayOfMonth() == d.lengthOfMonth() : daysOfMonth.get(d.getDayOfMonth());
    int dow = d.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : d.getDayOfWeek().getValue() + 1;
    boolean dowMatch = daysOfWeek.get(dow);
    // AWS requires '?' in one of the two day fields; the other one decides.
    if (anyDayOfMonth && !anyDayOfWeek) {
      return dowMatch;
    }
    if (anyDayOfWeek && !anyDayOfMonth) {
      return dom;
    }
    return dom && dowMatch;
  }
}
