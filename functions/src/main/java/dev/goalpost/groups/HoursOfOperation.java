package dev.goalpost.groups;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/**
 * When agents may send, as a local-time window [start, end) that holds in the group's time zone and in the
 * contact's (see {@code contacts/ContactZones}). Overnight windows are not allowed.
 */
public record HoursOfOperation(
    @JsonFormat(pattern = "HH:mm") LocalTime start,
    @JsonFormat(pattern = "HH:mm") LocalTime end) {

  public static final HoursOfOperation DEFAULT = new HoursOfOperation(LocalTime.of(8, 0), LocalTime.of(20, 0));

  public boolean contains(LocalTime t) {
    return !t.isBefore(start) && t.isBefore(end);
  }

  public boolean openIn(ZoneId zone, Instant now) {
    return contains(now.atZone(zone).toLocalTime());
  }

  /** The first of {@code zones} where the window does not hold at {@code now}, if any. */
  public Optional<ZoneId> closedIn(Collection<ZoneId> zones, Instant now) {
    return zones.stream().filter(z -> !openIn(z, now)).findFirst();
  }

  /** Open in every one of {@code zones} at once (the conservative intersection; true for no zones). */
  public boolean openInAll(Collection<ZoneId> zones, Instant now) {
    return closedIn(zones, now).isEmpty();
  }

  /**
   * The first instant at or after {@code now} when the window holds in every one of {@code zones}: {@code now}
   * when it holds already, else the moment the last of them opens. The intersection of such windows opens
   * when one of them opens, so only those moments (each zone's start, today to two days on, local dates; a
   * start falling in a DST gap is moved forward by the gap) are tried. Empty when the windows never overlap
   * (zones too far apart for the hours, e.g. 09:00–12:00 in Honolulu and New York).
   */
  public Optional<Instant> nextOpening(Collection<ZoneId> zones, Instant now) {
    if (openInAll(zones, now)) {
      return Optional.of(now);
    }
    TreeSet<Instant> starts = new TreeSet<>();
    for (ZoneId z : zones) {
      LocalDate today = now.atZone(z).toLocalDate();
      for (int d = -1; d <= 2; d++) {
        Instant t = ZonedDateTime.of(today.plusDays(d), start, z).toInstant();
        if (t.isAfter(now)) {
          starts.add(t);
        }
      }
    }
    return starts.stream().filter(t -> openInAll(zones, t)).findFirst();
  }
}
