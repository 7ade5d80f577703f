package dev.goalpost.workflows;

import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Up to 100 contacts of one goal's initial or reminder workflow, claimed by one agent at a time for a lease.
 * Contacts already messaged (or skipped) are in {@code done}; when the lease lapses, the rest go back to the
 * pool with the batch.
 *
 * @param number  the batch's place in the goal ({@code 00003-07}: page 3 of the activation, 8th batch of it)
 * @param pool    ANY (ANYONE goals) or the agent whose assigned contacts these are (ASSIGNED goals)
 */
public record Batch(String goalId, WorkflowKind workflow, String number, String pool, List<Entry> contacts,
                    Set<String> done, String holder, Instant leaseUntil) {

  /** A contact as the batch snapshot holds it: enough to show and render without another read. */
  public record Entry(String contactId, String firstName, String lastName) {}

  public String id() {
    return id(goalId, workflow, number);
  }

  public static String id(String goalId, WorkflowKind workflow, String number) {
    return goalId + "." + workflow.code() + "." + number;
  }

  public record Ref(String goalId, WorkflowKind workflow, String number) {}

  public static Ref parse(String batchId) {
    String[] p = batchId.split("\\.");
    boolean numberOk = p.length == 3 && (p[2].matches("\\d{5}-\\d{3}") || p[2].matches("t[0-9a-z]{20}")
        || (p[1].equals(WorkflowKind.UNREAD.code()) && p[2].matches("[0-9a-z]{20}")));
    if (p.length != 3 || !p[0].startsWith("goal_") || WorkflowKind.parse(p[1]).isEmpty() || !numberOk) {
      throw ApiException.notFound("Batch " + batchId);
    }
    return new Ref(p[0], WorkflowKind.ofCode(p[1]), p[2]);
  }

  public List<Entry> remaining() {
    return contacts.stream().filter(c -> !done.contains(c.contactId())).toList();
  }

  public boolean heldBy(String agentId, Instant now) {
    return agentId.equals(holder) && leaseUntil != null && leaseUntil.isAfter(now);
  }
}
