package dev.goalpost.workflows;

import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Up to 100 contacts of one goal's initial or reminder workflow, claimed by one agent at a time for a lease.
 * Which contacts were messaged is not on the batch: each contact's thread carries the ref
 * ({@link dev.goalpost.conversations.ThreadRepository#batchRefName}), marked done by the send that messaged it
 * (so a send never rewrites the batch item). {@code done} holds only the contacts a reassignment moved out of
 * the batch. When the lease lapses, the contacts not yet messaged go back to the pool with the batch.
 *
 * @param number  the batch's place in the goal ({@code 00003-07}: page 3 of the activation, 8th batch of it)
 * @param pool    ANY (ANYONE goals) or the agent whose assigned contacts these are (ASSIGNED goals)
 * @param zone    the zone key every contact of the batch shares ({@code contacts/ContactZones#key}: the zones
 *                the hours must hold in, e.g. {@code America/Los_Angeles}); null (or {@code ""}) when none is
 *                known, and for a batch cut before batches had one: such a batch is claimable whenever the group
 *                is open, its sends checked contact by contact. Claims take only batches whose zones are open now.
 * @param claims  how many claims it has had: 0 means nobody could have messaged anyone of it through it yet
 */
public record Batch(String goalId, WorkflowKind workflow, String number, String pool, List<Entry> contacts,
                    Set<String> done, String holder, Instant leaseUntil, String zone, long claims) {

  /** A batch as activation cuts it (never claimed), without a zone key. */
  public Batch(String goalId, WorkflowKind workflow, String number, String pool, List<Entry> contacts,
               Set<String> done, String holder, Instant leaseUntil) {
    this(goalId, workflow, number, pool, contacts, done, holder, leaseUntil, null, 0);
  }

  /** A batch as activation cuts it (never claimed), with its contacts' zone key. */
  public Batch(String goalId, WorkflowKind workflow, String number, String pool, List<Entry> contacts,
               Set<String> done, String holder, Instant leaseUntil, String zone) {
    this(goalId, workflow, number, pool, contacts, done, holder, leaseUntil, zone, 0);
  }

  /** A batch read back without a zone key. */
  public Batch(String goalId, WorkflowKind workflow, String number, String pool, List<Entry> contacts,
               Set<String> done, String holder, Instant leaseUntil, long claims) {
    this(goalId, workflow, number, pool, contacts, done, holder, leaseUntil, null, claims);
  }

  /** A contact as the batch snapshot holds it: enough to show and render without another read. */
  public record Entry(String contactId, String firstName, String lastName) {}

  public String id() {
    return id(goalId, workflow, number);
  }

  public static String id(String goalId, WorkflowKind workflow, String number) {
    return goalId + "." + workflow.code() + "." + number;
  }

  public record Ref(String goalId, WorkflowKind workflow, String number) {}

  /** Transfer batches one contact may have in a goal: its first, then {@code -2} … (a contact reassigned again). */
  public static final int MAX_TRANSFERS = 20;

  /**
   * The number of a contact's {@code k}-th transfer batch (1-based): {@code t{id}}, then {@code t{id}-2} … A
   * contact reassigned again while its transfer batch is held by the agent it leaves gets the next one.
   */
  public static String transferNumber(String contactId, int k) {
    if (k < 1 || k > MAX_TRANSFERS) {
      throw new IllegalArgumentException("transfer batch " + k + " of 1.." + MAX_TRANSFERS);
    }
    String base = "t" + contactId.substring(3);
    return k == 1 ? base : base + "-" + k;
  }

  public static Ref parse(String batchId) {
    String[] p = batchId.split("\\.");
    boolean numberOk = p.length == 3 && (p[2].matches("\\d{5}-\\d{3}") || p[2].matches("t[0-9a-z]{20}(-\\d{1,2})?")
        || (p[1].equals(WorkflowKind.UNREAD.code()) && p[2].matches("[0-9a-z]{20}")));
    if (p.length != 3 || !p[0].startsWith("goal_") || WorkflowKind.parse(p[1]).isEmpty() || !numberOk) {
      throw ApiException.notFound("Batch " + batchId);
    }
    return new Ref(p[0], WorkflowKind.ofCode(p[1]), p[2]);
  }

  /** The contacts still in the batch (not moved out by a reassignment); who of them was messaged: the threads. */
  public List<Entry> members() {
    return contacts.stream().filter(c -> !done.contains(c.contactId())).toList();
  }

  /** The members not yet messaged through this batch, given their threads (contact id → thread; absent: never texted). */
  public List<Entry> remaining(java.util.Map<String, dev.goalpost.conversations.Thread> threads) {
    return members().stream().filter(e -> {
      var t = threads.get(e.contactId());
      String ref = t == null ? null : t.batchRefs().get(goalId + "#" + workflow.code());
      return ref == null || ref.equals(number);
    }).toList();
  }

  public boolean heldBy(String agentId, Instant now) {
    return agentId.equals(holder) && leaseUntil != null && leaseUntil.isAfter(now);
  }
}
