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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings a create or PATCH request gives, each validated and naming its field when wrong. Creating a
 * group is applying changes to the defaults, so both paths share every rule.
 */
public record GroupChanges(
    Optional<String> name,
    Optional<String> timeZone,
    Optional<List<String>> phoneNumbers,
    Optional<Map<String, NumberProvider>> numberProviders,
    Optional<HoursOfOperation> hoursOfOperation,
    Optional<Integer> unreadClaimMinutes,
    Optional<Integer> responseWindowMinutes,
    Optional<Integer> dailySegmentCap) {

  static final Set<String> FIELDS = Set.of("name", "timeZone", "phoneNumbers", "numberProviders",
      "hoursOfOperation", "unreadClaimMinutes", "responseWindowMinutes", "dailySegmentCap");
  private static final Pattern TWILIO_ACCOUNT = Pattern.compile("AC[0-9a-fA-F]{32}");
  private static final Pattern TWILIO_SERVICE = Pattern.compile("MG[0-9a-fA-F]{32}");

  /** Reads and validates with no provider accounts to check against (tests). */
  public static GroupChanges parse(Fields f) {
    return parse(f, ProviderAccounts.ANY);
  }

  /** Reads and validates; collects every problem in {@code v}. */
  public static GroupChanges parse(Fields f, ProviderAccounts accounts) {
    Violations v = f.violations();
    f.allowOnly(FIELDS);
    Optional<String> name = f.string("name").map(String::trim);
    if (name.isPresent() && (name.get().isEmpty() || name.get().length() > NAME_MAX)) {
      v.add("name", "must be 1 to " + NAME_MAX + " characters");
      name = Optional.empty();
    }
    Optional<String> zone = f.string("timeZone").flatMap(z -> validZone(z, v));
    Optional<List<String>> numbers = f.strings("phoneNumbers").flatMap(list -> validNumbers(list, v));
    Optional<Map<String, NumberProvider>> providers = f.object("numberProviders")
        .flatMap(p -> validProviders(p, accounts));
    Optional<HoursOfOperation> hours = f.object("hoursOfOperation").flatMap(GroupChanges::validHours);
    Optional<Integer> unread = f.integer("unreadClaimMinutes", MINUTES_MIN, MINUTES_MAX);
    Optional<Integer> response = f.integer("responseWindowMinutes", MINUTES_MIN, MINUTES_MAX);
    Optional<Integer> cap = f.integer("dailySegmentCap", 1, DAILY_SEGMENT_CAP_MAX);
    for (String nonNullable : FIELDS) {
      if (f.isExplicitNull(nonNullable)) {
        v.add(nonNullable, "cannot be null");
      }
    }
    return new GroupChanges(name, zone, numbers, providers, hours, unread, response, cap);
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
    numberProviders.ifPresent(p -> checkProvidersListed(p, phoneNumbers.orElse(List.of()), v));
    v.throwIfAny();
    return new Group(id, orgId, name.get(), timeZone.get(), phoneNumbers.get(), numberProviders.orElse(Map.of()),
        hoursOfOperation.orElse(HoursOfOperation.DEFAULT),
        unreadClaimMinutes.orElse(UNREAD_CLAIM_MINUTES_DEFAULT),
        responseWindowMinutes.orElse(RESPONSE_WINDOW_MINUTES_DEFAULT),
        dailySegmentCap.orElse(DAILY_SEGMENT_CAP_DEFAULT),
        now, now, 1);
  }

  /**
   * The group after this PATCH. {@code numberProviders}, when given, replaces the whole map; when only
   * {@code phoneNumbers} changes, the settings of the numbers kept stay and those of removed numbers go.
   */
  public Group applyTo(Group g, Instant now) {
    Violations v = new Violations();
    return applyTo(g, now, v);
  }

  public Group applyTo(Group g, Instant now, Violations v) {
    List<String> numbers = phoneNumbers.orElse(g.phoneNumbers());
    Map<String, NumberProvider> providers;
    if (numberProviders.isPresent()) {
      checkProvidersListed(numberProviders.get(), numbers, v);
      v.throwIfAny();
      providers = numberProviders.get();
    } else {
      providers = new LinkedHashMap<>(g.numberProviders());
      providers.keySet().retainAll(Set.copyOf(numbers));
    }
    return new Group(g.id(), g.orgId(), name.orElse(g.name()), timeZone.orElse(g.timeZone()),
        numbers, providers, hoursOfOperation.orElse(g.hoursOfOperation()),
        unreadClaimMinutes.orElse(g.unreadClaimMinutes()),
        responseWindowMinutes.orElse(g.responseWindowMinutes()),
        dailySegmentCap.orElse(g.dailySegmentCap()), g.createdAt(), now, g.version() + 1);
  }

  /** A setting for a number the group does not list would never be used: refused rather than kept. */
  private static void checkProvidersListed(Map<String, NumberProvider> providers, List<String> numbers, Violations v) {
    for (String number : providers.keySet()) {
      if (!numbers.contains(number)) {
        v.add("numberProviders." + number, "is not one of the group's phoneNumbers " + numbers);
      }
    }
  }

  /**
   * {@code {"+15125550100": {"provider": "twilio", "accountSid": "AC…", "messagingServiceSid": "MG…",
   * "stopConfirmation": "provider"}, "+17375550100": {"provider": "aws"}}}. Every setting is checked against
   * the accounts this deployment holds, so a number cannot be saved with a provider that could not send.
   */
  private static Optional<Map<String, NumberProvider>> validProviders(Fields p, ProviderAccounts accounts) {
    Violations v = p.violations();
    Map<String, NumberProvider> out = new LinkedHashMap<>();
    boolean ok = true;
    var names = p.rawNode().fieldNames();
    List<String> keys = new ArrayList<>();
    names.forEachRemaining(keys::add);
    if (keys.size() > PHONE_NUMBERS_MAX) {
      v.add("numberProviders", "may hold at most " + PHONE_NUMBERS_MAX + " numbers");
      return Optional.empty();
    }
    for (String key : keys) {
      String field = "numberProviders." + key;
      String e164;
      switch (Phones.strictE164(key)) {
        case Phones.Valid valid -> e164 = valid.e164();
        case Phones.Invalid invalid -> {
          v.add(field, invalid.reason());
          ok = false;
          continue;
        }
      }
      Optional<Fields> setting = p.object(key);
      if (setting.isEmpty()) {
        if (!p.isExplicitNull(key) && !v.mentions(field)) {
          v.add(field, "must be an object such as {\"provider\": \"twilio\", \"accountSid\": \"AC…\"}");
        } else if (p.isExplicitNull(key)) {
          v.add(field, "cannot be null (leave the number out to use the deployment's default provider)");
        }
        ok = false;
        continue;
      }
      Fields s = setting.get();
      s.allowOnly(Set.of("provider", "accountSid", "messagingServiceSid", "stopConfirmation"));
      Optional<String> provider = s.requiredString("provider");
      Optional<String> account = s.string("accountSid").map(String::trim);
      Optional<String> service = s.string("messagingServiceSid").map(String::trim);
      Optional<String> stop = s.string("stopConfirmation").map(String::trim);
      int before = v.list().size();
      if (stop.isPresent() && !Set.of(NumberProvider.BY_PROVIDER, NumberProvider.BY_GOALPOST).contains(stop.get())) {
        v.add(s.pathOf("stopConfirmation"), "must be 'provider' (the carrier answers STOP, START and HELP) or 'goalpost' (we do)");
      }
      if (provider.isPresent()) {
        switch (provider.get()) {
          case NumberProvider.AWS -> {
            if (!accounts.awsConfigured()) {
              v.add(s.pathOf("provider"), "aws is not configured in this deployment (its function has no"
                  + " SMS_CONFIGURATION_SET)");
            }
            account.ifPresent(a -> v.add(s.pathOf("accountSid"), "applies to twilio numbers only"));
            service.ifPresent(a -> v.add(s.pathOf("messagingServiceSid"), "applies to twilio numbers only"));
          }
          case NumberProvider.TWILIO -> {
            if (account.isEmpty()) {
              if (!v.mentions(s.pathOf("accountSid"))) {
                v.add(s.pathOf("accountSid"), "is required for a twilio number (the account SID, AC…)");
              }
            } else if (!TWILIO_ACCOUNT.matcher(account.get()).matches()) {
              v.add(s.pathOf("accountSid"), "'" + account.get() + "' is not a Twilio account SID (AC + 32 hex digits)");
            } else if (accounts != ProviderAccounts.ANY && !accounts.twilioAccounts().contains(account.get())) {
              v.add(s.pathOf("accountSid"), account.get() + " is not a Twilio account this deployment holds"
                  + " credentials for (the TwilioAccountSid parameter)");
            }
            if (service.isPresent() && !TWILIO_SERVICE.matcher(service.get()).matches()) {
              v.add(s.pathOf("messagingServiceSid"), "'" + service.get()
                  + "' is not a Twilio Messaging Service SID (MG + 32 hex digits)");
            }
          }
          default -> v.add(s.pathOf("provider"), "'" + provider.get() + "' is not a provider (use "
              + String.join(" or ", ProviderAccounts.knownProviders()) + ")");
        }
      }
      if (v.list().size() != before || provider.isEmpty()) {
        ok = false;
        continue;
      }
      if (out.containsKey(e164)) {
        v.add(field, e164 + " is listed twice");
        ok = false;
        continue;
      }
      out.put(e164, new NumberProvider(provider.get(), account.orElse(null), service.orElse(null), stop.orElse(null)));
    }
    return ok ? Optional.of(out) : Optional.empty();
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
