package dev.goalpost.contacts;

import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.events.DomainEvent;
import dev.goalpost.platform.events.DomainEvents;
import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one opt-out rule, whoever asks: a contact texting STOP, an admin's PATCH or import, an agent's opt-out
 * action on a thread. An opt-out is ORG-wide (SPEC §6): the phone goes on the org's list ({@link OptOuts}, what
 * the sender trusts at the last moment), then every group of the org that knows the phone flags its contact
 * (for display and targeting). Opting back in is org-wide too, and only the contact may undo its own STOP.
 *
 * <p>Order and retries: the list first, then the copies; a crash between them leaves the phone unsendable
 * (the sender checks the list) and a retry of the same request redoes the copies (each write is idempotent).
 *
 * <p>Concurrent changes (a STOP to one group's number racing a START to another's, an admin's opt-out racing a
 * START): every fan-out writes the state it expects to every group's copy, THEN reads the list again (strongly
 * consistent) and, if the list says otherwise, writes that and checks again ({@link #settleCopies}). Whichever
 * change commits last, its fan-out's check sees it after the other's writes or its own writes land after the
 * other's: the copies end as the list says (the race test is OrgOptOutIT).
 *
 * <p>Cost: 1 PutItem (1 WCU) on the list + 1 Query of the org's group ids + 1 conditional UpdateItem per group
 * (1 WCU each, also charged when the group has no such contact) + 1 GetItem (the check, 1 RCU) + 1 PutEvents
 * when the phone was not out yet.
 */
public final class OrgOptOut {
  public static final String BY_CONTACT = "contact";
  public static final String BY_ADMIN = "admin";
  public static final String BY_AGENT = "agent";

  private final OptOuts list;
  private final ContactRepository contacts;
  private final GroupRepository groups;
  private final DomainEvents events;

  /** {@code events} may be null when the caller publishes ContactOptedOut itself (the inbound path does). */
  public OrgOptOut(OptOuts list, ContactRepository contacts, GroupRepository groups, DomainEvents events) {
    this.list = list;
    this.contacts = contacts;
    this.groups = groups;
    this.events = events;
  }

  /**
   * Opts {@code phone} out across the org. True when this source had not opted it out before (so a STOP is
   * confirmed once, and counted once). {@code context} (groupId, contactId, threadId, userId …) goes into the
   * ContactOptedOut event.
   */
  public boolean optOut(String orgId, String phone, String source, Map<String, Object> context, Instant now) {
    var where = new OptOuts.Where(text(context, "groupId"), text(context, "contactId"), text(context, "threadId"),
        text(context, "goalId"));
    boolean first = list.optOut(orgId, phone, source, where, now);
    if (first) {
      settleCopies(orgId, phone, true, source, now);
    } else {
      copyFromList(orgId, phone, java.util.Optional.empty(), source, now); // out already, maybe by someone else
    }
    if (first && events != null) {
      Map<String, Object> fields = new LinkedHashMap<>(context);
      fields.put("phone", phone);
      fields.put("source", source);
      events.publish(new DomainEvent(DomainEvent.Type.ContactOptedOut, orgId, now, fields));
    }
    return first;
  }

  /**
   * Opts {@code phone} back in across the org. Only the contact ({@code byContact}, texting START) can undo an
   * opt-out the contact made; anyone else gets 409 {@code opted-out-by-contact}. True when it was opted out.
   */
  public boolean optIn(String orgId, String phone, boolean byContact, Instant now) {
    boolean wasOut;
    if (byContact) {
      wasOut = list.optIn(orgId, phone);
    } else {
      var removed = list.optInUnlessByContact(orgId, phone);
      if (removed.isEmpty()) {
        throw ApiException.conflict("opted-out-by-contact", "The contact opted out by texting a stop keyword; "
            + "only the contact can opt back in, by texting START");
      }
      wasOut = removed.get();
    }
    settleCopies(orgId, phone, false, null, now);
    return wasOut;
  }

  private static String text(Map<String, Object> context, String name) {
    Object v = context.get(name);
    return v == null ? null : v.toString();
  }

  /**
   * Sets every group's copy to what the org list says: for a writer that changed the list inside its own
   * transaction (a STOP or START reply, {@code InboundService}). {@code expected} is what that transaction
   * wrote (the first run, right after the commit: no read before the writes), or empty for a late or repeated
   * run (a redelivery), which reads the list first so that a late STOP never flips copies a later START set.
   * Cost: (+1 GetItem when {@code expected} is empty) + the fan-out and its check.
   */
  public void copyFromList(String orgId, String phone, java.util.Optional<Boolean> expected, String source,
                           Instant now) {
    if (expected.isPresent()) {
      settleCopies(orgId, phone, expected.get(), source, now);
    } else {
      var current = list.sourceOf(orgId, phone);
      settleCopies(orgId, phone, current.isPresent(), current.orElse(null), now);
    }
  }

  static final int MAX_ROUNDS = 5;

  /**
   * Writes {@code optedOut} to every group's copy, then checks the list (strongly consistent) and repeats with
   * what it says until the copies were last written with the list's state. Each round: 1 Query (the org's
   * groups) + 1 UpdateItem per group + 1 GetItem; a second round only when the list changed meanwhile.
   */
  private void settleCopies(String orgId, String phone, boolean optedOut, String source, Instant now) {
    boolean state = optedOut;
    source = state ? (source == null ? BY_ADMIN : source) : null; // as OptOuts reads an item without a source
    for (int round = 1; ; round++) {
      fanOut(orgId, phone, state, source, now);
      var listSays = list.sourceOf(orgId, phone);
      if (listSays.isPresent() == state && (!state || listSays.get().equals(source))) {
        return;
      }
      if (round >= MAX_ROUNDS) {
        // The phone flips faster than the copies can follow: the caller's retry (a redelivery) finishes it.
        throw new IllegalStateException("The opt-out of a phone kept changing while its copies were written");
      }
      // Someone changed it after us: converge to the list (who opted out is on the list item).
      state = listSays.isPresent();
      source = listSays.orElse(null);
    }
  }

  /** Every group of the org that knows this phone sets its contact's flag (the org list is the source of truth). */
  private void fanOut(String orgId, String phone, boolean optedOut, String source, Instant now) {
    for (String groupId : groups.allGroupIds(orgId)) {
      contacts.setOptedOut(orgId, groupId, ContactRepository.contactId(orgId, groupId, phone), optedOut, source, now);
    }
  }
}
