package dev.goalpost.messaging;

import dev.goalpost.contacts.ContactRepository;
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
 * Cost: 1 PutItem (1 WCU) on the list + 1 Query of the org's group ids + 1 conditional UpdateItem per group
 * (1 WCU each, also charged when the group has no such contact) + 1 PutEvents when the phone was not out yet.
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
    boolean first = list.optOut(orgId, phone, source, now);
    fanOut(orgId, phone, true, source, now);
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
    fanOut(orgId, phone, false, null, now);
    return wasOut;
  }

  /**
   * Sets every group's copy to what the org list says now: for a writer that changed the list inside its own
   * transaction (a STOP or START reply, {@code InboundService}) and settles the copies afterwards, possibly late
   * or twice (a late STOP redelivery never undoes a START that followed it). 1 GetItem + the fan-out.
   */
  public void copyFromList(String orgId, String phone, String source, Instant now) {
    fanOut(orgId, phone, list.isOptedOut(orgId, phone), source, now);
  }

  /** Every group of the org that knows this phone sets its contact's flag (the org list is the source of truth). */
  private void fanOut(String orgId, String phone, boolean optedOut, String source, Instant now) {
    for (String groupId : groups.allGroupIds(orgId)) {
      contacts.setOptedOut(orgId, groupId, ContactRepository.contactId(orgId, groupId, phone), optedOut, source, now);
    }
  }
}
