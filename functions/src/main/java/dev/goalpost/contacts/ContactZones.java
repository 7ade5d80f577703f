package dev.goalpost.contacts;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a contact lives, as the time zones the hours of operation must hold in: the contact's own
 * {@code timeZone} (an IANA zone id, set by an import, a PATCH or the console's CSV column), else, for contacts
 * stored before it was a field of its own, a custom field named {@value #LEGACY_FIELD} holding a zone id,
 * else the zones libphonenumber's {@link PhoneNumberToTimeZonesMapper} gives the number's prefix (several for
 * an area code that spans zones, e.g. Idaho's or South Dakota's). Empty when nothing is known (the group's own
 * zone then decides alone).
 *
 * <p>A contact's zones as one string, its <em>zone key</em> ({@link #key}: the sorted ids joined by a space,
 * {@code ""} when none), is what activation groups batches by and what a batch item stores. Plain Java, no
 * I/O: the mapper's data ships in the geocoder jar.
 */
public final class ContactZones {
  /** The custom field older contacts carry their zone in (read as a fallback; new writes use {@code timeZone}). */
  public static final String LEGACY_FIELD = "timeZone";
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  /** IANA region ids by their lower-case spelling, so "america/new_york" is read as America/New_York. */
  private static final Map<String, String> IDS = new HashMap<>();

  static {
    for (String id : ZoneId.getAvailableZoneIds()) {
      if (id.contains("/") || id.equals("UTC")) {
        IDS.put(id.toLowerCase(Locale.ROOT), id);
      }
    }
  }

  private ContactZones() {}

  /** The IANA zone a string names (trimmed, any case), or empty: offsets ("+05:00") and abbreviations are refused. */
  public static Optional<ZoneId> zone(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String canonical = IDS.get(id.trim().toLowerCase(Locale.ROOT));
    return canonical == null ? Optional.empty() : Optional.of(ZoneId.of(canonical));
  }

  /** The contact's zones: its own, else the legacy custom field's, else its number's (empty when none is known). */
  public static List<ZoneId> of(Contact contact) {
    Optional<ZoneId> own = zone(contact.timeZone());
    if (own.isEmpty() && contact.customFields() != null) {
      own = zone(contact.customFields().get(LEGACY_FIELD));
    }
    return own.map(List::of).orElseGet(() -> ofNumber(contact.phone()));
  }

  /** libphonenumber's zones for an E.164 number, without its "unknown" marker. */
  public static List<ZoneId> ofNumber(String e164) {
    List<ZoneId> out = new ArrayList<>();
    if (e164 == null) {
      return out;
    }
    try {
      var number = PHONES.parse(e164, null);
      for (String z : PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number)) {
        if (!z.equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) {
          zone(z).ifPresent(out::add);
        }
      }
    } catch (NumberParseException e) {
      return List.of();
    }
    return out;
  }

  /** The zone key of a contact: its zones' ids, sorted, joined by a space ({@code ""} when none is known). */
  public static String keyOf(Contact contact) {
    return key(of(contact));
  }

  /** The zone key of a list of zones (order and repeats do not matter). */
  public static String key(List<ZoneId> zones) {
    TreeSet<String> ids = new TreeSet<>();
    zones.forEach(z -> ids.add(z.getId()));
    return String.join(" ", ids);
  }

  /** The zones of a zone key (ids no longer known to this JVM are skipped). */
  public static List<ZoneId> fromKey(String key) {
    if (key == null || key.isBlank()) {
      return List.of();
    }
    return Arrays.stream(key.trim().split(" ")).map(ContactZones::zone).flatMap(Optional::stream).toList();
  }
}
