package dev.goalpost.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.Phones;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.FieldError;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A group's contacts: bulk import, search, and edits by the group's admins and managers. */
public final class ContactService {
  private static final Logger LOG = Logger.getLogger(ContactService.class.getName());
  /** Concurrent writes of one import: enough to finish 1,000 rows in a few seconds, gentle on the table. */
  static final int IMPORT_CONCURRENCY = 16;

  private final ContactRepository contacts;
  private final GroupRepository groups;
  private final Clock clock;
  private final AssignmentListener assignments;
  /** Opt-outs are org-wide, whoever makes them: the same rule as a contact's STOP. */
  private final OrgOptOut optOuts;
  private final OptOuts list;

  public ContactService(ContactRepository contacts, GroupRepository groups, Clock clock,
                        AssignmentListener assignments, OrgOptOut optOuts, OptOuts list) {
    this.assignments = assignments;
    this.optOuts = optOuts;
    this.list = list;
    this.contacts = contacts;
    this.groups = groups;
    this.clock = clock;
  }

  /**
   * Upserts up to {@value ContactLimits#BULK_MAX} contacts. Every row gets an outcome; valid rows are stored
   * even when others are refused. Phones are normalized to E.164 (national numbers read in the region of
   * the group's first number) and deduplicated: within the request by the first row, within the group by
   * the contact id derived from the phone.
   */
  public ImportResult upsert(Principal caller, String groupId, JsonNode body) {
    caller.requireManage(groupId);
    Violations top = new Violations();
    Fields f = Fields.ofBody(body, top);
    f.allowOnly(java.util.Set.of("contacts"));
    JsonNode rows = body.get("contacts");
    if (rows == null || !rows.isArray()) {
      throw ApiException.invalid("contacts", "is required: an array of 1 to " + ContactLimits.BULK_MAX + " contacts");
    }
    if (rows.isEmpty() || rows.size() > ContactLimits.BULK_MAX) {
      throw ApiException.invalid("contacts", "must hold 1 to " + ContactLimits.BULK_MAX
          + " contacts (got " + rows.size() + "); split larger imports into several requests");
    }
    top.throwIfAny();
    Group group = requireGroup(caller.orgId(), groupId);
    String region = group.phoneNumbers().stream().findFirst().flatMap(Phones::regionOf).orElse("US");
    Instant now = clock.instant();
    Map<String, Boolean> isMember = new ConcurrentHashMap<>();

    ImportRow[] outcomes = new ImportRow[rows.size()];
    Map<String, Integer> firstRowOfPhone = new HashMap<>();
    List<Integer> toWrite = new ArrayList<>();
    Map<Integer, Valid> valid = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String path = "contacts[" + i + "]";
      Violations v = new Violations();
      JsonNode row = rows.get(i);
      if (!row.isObject()) {
        outcomes[i] = new ImportRow(i, ImportRow.Status.invalid, null, null, null,
            List.of(new FieldError(path, "must be an object")));
        continue;
      }
      Fields rf = new Fields(row, path, v);
      Optional<String> rawPhone = rf.requiredString("phone");
      ContactChanges changes = ContactChanges.parse(rf, ContactChanges.ROW_FIELDS);
      String phone = null;
      if (rawPhone.isPresent()) {
        switch (Phones.normalize(rawPhone.get(), region)) {
          case Phones.Valid ok -> phone = ok.e164();
          case Phones.Invalid bad -> v.add(path + ".phone", bad.reason());
        }
      }
      if (changes.optedOut().filter(out -> !out).isPresent()) {
        v.add(path + ".optedOut", "an import can opt contacts out but never back in; contacts opt in by texting START");
      }
      changes.assignedAgentId().flatMap(a -> a).ifPresent(agent -> {
        if (!isMember.computeIfAbsent(agent, a -> groups.getMember(caller.orgId(), groupId, a).isPresent())) {
          v.add(path + ".assignedAgentId", "'" + agent + "' is not a member of this group");
        }
      });
      if (!v.isEmpty()) {
        outcomes[i] = new ImportRow(i, ImportRow.Status.invalid, phone, null, null, v.list());
        continue;
      }
      Integer first = firstRowOfPhone.putIfAbsent(phone, i);
      if (first != null) {
        outcomes[i] = new ImportRow(i, ImportRow.Status.duplicate, phone,
            ContactRepository.contactId(caller.orgId(), groupId, phone), first, null);
        continue;
      }
      valid.put(i, new Valid(phone, changes));
      toWrite.add(i);
    }
    java.util.Set<String> fieldNames = new java.util.TreeSet<>();
    valid.values().forEach(r -> fieldNames.addAll(r.changes().setFieldNames()));
    // The catalog first: a script may be checked against a field as soon as any contact can carry it.
    contacts.recordFieldNames(caller.orgId(), groupId, fieldNames);
    // Phones the org already opted out (in any group): their new contacts start opted out.
    Map<String, String> orgOptedOut = list.sourcesOf(caller.orgId(), valid.values().stream().map(Valid::phone).toList());
    writeAll(caller.orgId(), groupId, now, toWrite, valid, orgOptedOut, outcomes);
    return ImportResult.of(Arrays.asList(outcomes));
  }

  private record Valid(String phone, ContactChanges changes) {}

  private void writeAll(String orgId, String groupId, Instant now, List<Integer> indexes, Map<Integer, Valid> rows,
                        Map<String, String> orgOptedOut, ImportRow[] outcomes) {
    Semaphore permits = new Semaphore(IMPORT_CONCURRENCY);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i : indexes) {
        Valid row = rows.get(i);
        futures.add(pool.submit(() -> {
          permits.acquireUninterruptibly();
          try {
            var r = contacts.upsert(orgId, groupId, row.phone(), row.changes(), now);
            if (row.changes().optedOut().orElse(false)) {
              // An import's opt-out is the org's, like a STOP: the list, then every group's copy.
              optOuts.optOut(orgId, row.phone(), OrgOptOut.BY_ADMIN, Map.of("groupId", groupId,
                  "contactId", r.contactId()), now);
            } else if (r.created() && orgOptedOut.containsKey(row.phone())) {
              // A new contact whose phone the org already opted out starts opted out (1 UpdateItem, rare).
              contacts.setOptedOut(orgId, groupId, r.contactId(), true, orgOptedOut.get(row.phone()), now);
            }
            if (!r.created() && row.changes().assignedAgentId().isPresent()) {
              assignments.reassigned(orgId, groupId, r.contactId(), r.previousAgentId(),
                  row.changes().assignedAgentId().get(), now);
            }
            outcomes[i] = new ImportRow(i, r.created() ? ImportRow.Status.created : ImportRow.Status.updated,
                row.phone(), r.contactId(), null, null);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Import row " + i + " failed after SDK retries", e);
            outcomes[i] = new ImportRow(i, ImportRow.Status.failed, row.phone(), null, null,
                List.of(new FieldError("contacts[" + i + "]", "could not be stored now (" + e.getClass().getSimpleName()
                    + "); send this row again")));
          } finally {
            permits.release();
          }
        }));
      }
      for (Future<?> fut : futures) {
        try {
          fut.get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  public Page<Contact> list(Principal caller, String groupId, Optional<String> tag, Optional<String> agent,
                            Optional<String> text, int limit, Optional<String> cursor) {
    caller.requireRead(groupId);
    requireGroup(caller.orgId(), groupId);
    List<String> words = text.map(t -> Arrays.stream(t.toLowerCase(Locale.ROOT).trim().split("\\s+"))
        .filter(w -> !w.isEmpty()).toList()).orElse(List.of());
    if (words.size() > ContactLimits.SEARCH_WORDS_MAX) {
      throw ApiException.invalid("q", "may hold at most " + ContactLimits.SEARCH_WORDS_MAX + " words");
    }
    return contacts.list(caller.orgId(), groupId,
        new ContactQuery(tag.map(String::trim), agent.map(String::trim), words, limit, cursor));
  }

  public Contact get(Principal caller, String groupId, String contactId) {
    caller.requireRead(groupId);
    return contacts.get(caller.orgId(), groupId, contactId)
        .orElseThrow(() -> ApiException.notFound("Contact " + contactId + " in group " + groupId));
  }

  public Contact patch(Principal caller, String groupId, String contactId, JsonNode body) {
    caller.requireManage(groupId);
    Violations v = new Violations();
    ContactChanges changes = ContactChanges.parse(Fields.ofBody(body, v), ContactChanges.PATCH_FIELDS);
    if (v.isEmpty() && changes.isEmpty()) {
      v.add("body", "names no field to change (allowed: " + String.join(", ",
          ContactChanges.PATCH_FIELDS.stream().sorted().toList()) + ")");
    }
    changes.assignedAgentId().flatMap(a -> a).ifPresent(agent -> {
      if (groups.getMember(caller.orgId(), groupId, agent).isEmpty()) {
        v.add("assignedAgentId", "'" + agent + "' is not a member of this group");
      }
    });
    v.throwIfAny();
    Instant now = clock.instant();
    if (changes.optedOut().isPresent()) {
      // Org-wide, like STOP/START: the org's list and every group's copy. Opting back in is refused (409)
      // when the contact opted out by texting a stop keyword in ANY group of the org.
      Contact current = get(caller, groupId, contactId);
      if (changes.optedOut().get()) {
        optOuts.optOut(caller.orgId(), current.phone(), OrgOptOut.BY_ADMIN,
            Map.of("groupId", groupId, "contactId", contactId, "userId", caller.userId()), now);
      } else {
        optOuts.optIn(caller.orgId(), current.phone(), false, now);
      }
    }
    contacts.recordFieldNames(caller.orgId(), groupId, changes.setFieldNames());
    String previousAgent = changes.assignedAgentId().isPresent()
        ? contacts.get(caller.orgId(), groupId, contactId).map(Contact::assignedAgentId).orElse(null) : null;
    Contact patched = contacts.patch(caller.orgId(), groupId, contactId, changes, now)
        .orElseThrow(() -> ApiException.notFound("Contact " + contactId + " in group " + groupId));
    if (changes.assignedAgentId().isPresent()) {
      assignments.reassigned(caller.orgId(), groupId, contactId, previousAgent, changes.assignedAgentId().get(), now);
    }
    return patched;
  }

  private Group requireGroup(String orgId, String groupId) {
    return groups.get(orgId, groupId).orElseThrow(() -> ApiException.notFound("Group " + groupId));
  }
}
