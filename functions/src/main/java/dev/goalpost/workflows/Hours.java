package dev.goalpost.workflows;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.goalpost.contacts.Contact;
import dev.goalpost.groups.Group;
import dev.goalpost.platform.http.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hours of operation: agents work and send only inside them, in the group's zone, and a text to a contact
 * leaves only when the hours hold in the contact's own zone too.
 *
 * <p>The contact's zone: the {@value #CONTACT_ZONE_FIELD} custom field when it holds an IANA zone id (an import
 * may set it, e.g. from the ZIP code), else the zones libphonenumber's {@link PhoneNumberToTimeZonesMapper}
 * gives the number's prefix. A number whose area spans several zones (e.g. an Indiana or a Florida panhandle
 * area code) is open only while the hours hold in every one of them: the conservative intersection, so no
 * contact is texted before 08:00 or after 20:00 wherever they may be. A number with no known zone is judged
 * by the group's zone alone. Plain Java, no I/O: the mapper's data ships in the geocoder jar.
 */
public final class Hours {
  /** The custom field that names a contact's IANA zone when an import knows it. */
  public static final String CONTACT_ZONE_FIELD = "timeZone";
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  private Hours() {}

  public static boolean isOpen(Group group, Instant now) {
    LocalTime local = now.atZone(group.zone()).toLocalTime();
    return group.hoursOfOperation().contains(local);
  }

  public static void requireOpen(Group group, Instant now) {
    if (!isOpen(group, now)) {
      throw ApiException.conflict("outside-hours", "Texting in " + group.name() + " is open from "
          + group.hoursOfOperation().start() + " to " + group.hoursOfOperation().end() + " (" + group.timeZone()
          + "); it is " + now.atZone(group.zone()).toLocalTime().withNano(0) + " there now");
    }
  }

  /** The contact's zones: its own when given, else its number's (empty when neither is known). */
  public static List<ZoneId> zonesOf(Contact contact) {
    String own = contact.customFields() == null ? null : contact.customFields().get(CONTACT_ZONE_FIELD);
    if (own != null && !own.isBlank()) {
      try {
        if (ZoneId.getAvailableZoneIds().contains(own.trim())) {
          return List.of(ZoneId.of(own.trim()));
        }
      } catch (DateTimeException ignored) {
        // not a zone id: fall back to the number
      }
    }
    return zonesOfNumber(contact.phone());
  }

  /** libphonenumber's zones for an E.164 number, without its "unknown" marker. */
  public static List<ZoneId> zonesOfNumber(String e164) {
    List<ZoneId> out = new ArrayList<>();
    try {
      var number = PHONES.parse(e164, null);
      for (String z : PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number)) {
        if (!z.equals(PhoneNumberToTimeZonesMapper.getUnknownTimeZone()) && ZoneId.getAvailableZoneIds().contains(z)) {
          out.add(ZoneId.of(z));
        }
      }
    } catch (NumberParseException e) {
      return List.of();
    }
    return out;
  }

  /** The first of {@code zones} where the group's hours do not hold at {@code now}, if any. */
  static Optional<ZoneId> closedZone(Group group, List<ZoneId> zones, Instant now) {
    return zones.stream().filter(z -> !group.hoursOfOperation().contains(now.atZone(z).toLocalTime())).findFirst();
  }

  /** Open in the group's zone and in every zone of the contact. */
  public static boolean isOpen(Group group, Contact contact, Instant now) {
    return isOpen(group, now) && closedZone(group, zonesOf(contact), now).isEmpty();
  }

  /** 409 outside-hours naming the zone (the group's, or the contact's) where it is too early or too late. */
  public static void requireOpen(Group group, Contact contact, Instant now) {
    requireOpen(group, now);
    closedZone(group, zonesOf(contact), now).ifPresent(z -> {
      throw ApiException.conflict("outside-hours", "It is " + now.atZone(z).toLocalTime().withNano(0)
          + " for this contact (" + z.getId() + "); texts reach contacts only from " + group.hoursOfOperation().start()
          + " to " + group.hoursOfOperation().end() + " in their own time");
    });
  }
}
