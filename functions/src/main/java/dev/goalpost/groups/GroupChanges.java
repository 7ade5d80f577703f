package dev.goalpost.groups;

import static dev.goalpost.groups.GroupLimits.*;

import dev.goalpost.platform.Phones;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The settings a create or PATCH request gives, each validated and naming its field when wrong. Creating a
 * group is applying changes to the defaults, so both paths share every rule.
 */
public record GroupChanges(
    Optional<String> name,
    Optional<String> timeZone,
    Optional<List<String>> phoneNumbers,
    Optional<HoursOfOperation> hoursOfOperation,
    Optional<Integer> unreadClaimMinutes,
    Optional<Integer> responseWindowMinutes,
    Optional<Integer> dailySegmentCap) {

  static final Set<String> FIELDS = Set.of("name", "timeZone", "phoneNumbers", "hoursOfOperation",
      "unreadClaimMinutes", "responseWindowMinutes", "dailySegmentCap");

  /** Reads and validates; collects every problem in {@code v}. */
  public static GroupChanges parse(Fields f) {
    Violations v = f.violations();
    f.allowOnly(FIELDS);
    Optional<String> name = f.string("name").map(String::trim);
    if (name.isPresent() && (name.get().isEmpty() || name.get().length() > NAME_MAX)) {
      v.add("name", "must be 1 to " + NAME_MAX + " characters");
      name = Optional.empty();
    }
    Optional<String> zone = f.string("timeZone").flatMap(z -> validZone(z, v));
    Optional<List<String>> numbers = f.strings("phoneNumbers").flatMap(list -> validNumbers(list, v));
    Optional<HoursOfOperation> hours = f.object("hoursOfOperation").flatMap(GroupChanges::validHours);
    Optional<Integer> unread = f.integer("unreadClaimMinutes", MINUTES_MIN, MINUTES_MAX);
    Optional<Integer> response = f.integer("responseWindowMinutes", MINUTES_MIN, MINUTES_MAX);
    Optional<Integer> cap = f.integer("dailySegmentCap", 1, DAILY_SEGMENT_CAP_MAX);
    for (String nonNullable : FIELDS) {
      if (f.isExplicitNull(nonNullable)) {
        v.add(nonNullable, "cannot be null");
      }
    }
    return new GroupChanges(name, zone, numbers, hours, unread, response, cap);
  }

  /** A new group: name, timeZone and at least one phone number are required; the rest defaults. */
  public Group create(String orgId, String id, Instant now, Violations v) {
    // A field given but invalid is already reported; "required" is only for fields not given at all.
    if (name.isEmpty() && !v.mentions("name")) {
      v.add("name", "is required");
    }
    if (timeZone.isEmpty() && !v.mentions("timeZone")) {
      v.add("timeZone", "is required (an IANA zone such as America/Chicago)");
    }
    if (phoneNumbers.isEmpty() && !v.mentions("phoneNumbers")) {
      v.add("phoneNumbers", "is required: at least one E.164 number contacts will be texted from");
    }
    v.throwIfAny();
    return new Group(id, orgId, name.get(), timeZone.get(), phoneNumbers.get(),
        hoursOfOperation.orElse(HoursOfOperation.DEFAULT),
        unreadClaimMinutes.orElse(UNREAD_CLAIM_MINUTES_DEFAULT),
        responseWindowMinutes.orElse(RESPONSE_WINDOW_MINUTES_DEFAULT),
        dailySegmentCap.orElse(DAILY_SEGMENT_CAP_DEFAULT),
        now, now, 1);
  }

  public Group applyTo(Group g, Instant now) {
    return new Group(g.id(), g.orgId(), name.orElse(g.name()), timeZone.orElse(g.timeZone()),
        phoneNumbers.orElse(g.phoneNumbers()), hoursOfOperation.orElse(g.hoursOfOperation()),
        unreadClaimMinutes.orElse(g.unreadClaimMinutes()),
        responseWindowMinutes.orElse(g.responseWindowMinutes()),
        dailySegmentCap.orElse(g.dailySegmentCap()), g.createdAt(), now, g.version() + 1);
  }

  private static Optional<String> validZone(String raw, Violations v) {
    String z = raw.trim();
    // Region ids only: a fixed offset ("+05:00") has no DST rules and would make "08:00" wrong half the year.
    if (!ZoneId.getAvailableZoneIds().contains(z)) {
      v.add("timeZone", "'" + raw + "' is not an IANA time zone id such as America/Chicago");
      return Optional.empty();
    }
    return Optional.of(ZoneId.of(z).getId());
  }

  private static Optional<List<String>> validNumbers(List<String> raw, Violations v) {
    if (raw.isEmpty()) {
      v.add("phoneNumbers", "must hold at least one number");
      return Optional.empty();
    }
    if (raw.size() > PHONE_NUMBERS_MAX) {
      v.add("phoneNumbers", "may hold at most " + PHONE_NUMBERS_MAX + " numbers");
      return Optional.empty();
    }
    Set<String> out = new LinkedHashSet<>();
    boolean ok = true;
    for (int i = 0; i < raw.size(); i++) {
      switch (Phones.strictE164(raw.get(i))) {
        case Phones.Valid valid -> {
          if (!out.add(valid.e164())) {
            v.add("phoneNumbers[" + i + "]", valid.e164() + " is listed twice");
            ok = false;
          }
        }
        case Phones.Invalid invalid -> {
          v.add("phoneNumbers[" + i + "]", invalid.reason());
          ok = false;
        }
      }
    }
    return ok ? Optional.of(new ArrayList<>(out)) : Optional.empty();
  }

  private static Optional<HoursOfOperation> validHours(Fields h) {
    Violations v = h.violations();
    h.allowOnly(Set.of("start", "end"));
    Optional<LocalTime> start = h.requiredString("start").flatMap(s -> time(s, h.pathOf("start"), v));
    Optional<LocalTime> end = h.requiredString("end").flatMap(s -> time(s, h.pathOf("end"), v));
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    if (!start.get().isBefore(end.get())) {
      v.add(h.pathOf("end"), "must be after start (" + start.get() + "); windows cannot cross midnight");
      return Optional.empty();
    }
    return Optional.of(new HoursOfOperation(start.get(), end.get()));
  }

  private static Optional<LocalTime> time(String s, String field, Violations v) {
    try {
      if (!s.matches("\\d{2}:\\d{2}")) {
        throw new DateTimeParseException("format", s, 0);
      }
      return Optional.of(LocalTime.parse(s));
    } catch (DateTimeParseException e) {
      v.add(field, "'" + s + "' is not a time of day as HH:mm (24-hour), e.g. 08:00");
      return Optional.empty();
    }
  }
}
