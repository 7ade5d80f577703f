package dev.goalpost.workflows;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactZones;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.HoursOfOperation;
import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hours of operation: agents work and send only inside them, in the group's zone, and a text to a contact
 * leaves only when the hours hold in the contact's own zone too.
 *
 * <p>The contact's zones come from {@link ContactZones}: the contact's {@code timeZone}, else (older data) a
 * {@code timeZone} custom field, else the zones libphonenumber gives the number's prefix. A number whose area
 * spans several zones (e.g. an Idaho or a South Dakota area code) is open only while the hours hold in every
 * one of them: the conservative intersection ({@link HoursOfOperation#openInAll}), so no contact is texted
 * before 08:00 or after 20:00 wherever they may be. A number with no known zone is judged by the group's zone
 * alone. Claims apply the same rule to whole batches, which activation cuts per zone key ({@link Activation}).
 * Plain Java, no I/O.
 */
public final class Hours {
  private Hours() {}

  public static boolean isOpen(Group group, Instant now) {
    return group.hoursOfOperation().openIn(group.zone(), now);
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
    return ContactZones.of(contact);
  }

  /** libphonenumber's zones for an E.164 number, without its "unknown" marker. */
  public static List<ZoneId> zonesOfNumber(String e164) {
    return ContactZones.ofNumber(e164);
  }

  /** The first of {@code zones} where the group's hours do not hold at {@code now}, if any. */
  static Optional<ZoneId> closedZone(Group group, List<ZoneId> zones, Instant now) {
    return group.hoursOfOperation().closedIn(zones, now);
  }

  /** Open in the group's zone and in every zone of the contact. */
  public static boolean isOpen(Group group, Contact contact, Instant now) {
    return isOpen(group, now) && closedZone(group, zonesOf(contact), now).isEmpty();
  }

  /**
   * Whether a batch of zone key {@code zoneKey} may be claimed now as far as its contacts' hours go (the
   * group's own hours are checked apart). A batch without a zone key (cut before batches had one, or of
   * contacts with no known zone) is open: its sends are still checked contact by contact.
   */
  public static boolean isOpen(Group group, String zoneKey, Instant now) {
    return group.hoursOfOperation().openInAll(ContactZones.fromKey(zoneKey), now);
  }

  /** When the hours next hold in the group's zone and every zone of {@code zoneKey} (empty: never). */
  public static Optional<Instant> nextOpening(Group group, String zoneKey, Instant now) {
    List<ZoneId> zones = new ArrayList<>(ContactZones.fromKey(zoneKey));
    zones.add(group.zone());
    return group.hoursOfOperation().nextOpening(zones, now);
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
