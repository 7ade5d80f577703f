package dev.goalpost.workflows;

import dev.goalpost.conversations.Thread;
import dev.goalpost.conversations.ThreadRepository;

import dev.goalpost.platform.BatchReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A contact in a live batch belongs to that batch's holder, whatever the route (SPEC §5: one agent per
 * contact at a time). Activation writes a ref to the batch on each contact's thread when it cuts the batch
 * ({@link ThreadRepository#markInBatch}), and the send through the batch marks it done; any other send or open
 * then reads the batches its thread still waits in (ref not done) and is refused while one of them is leased by
 * another agent. The batch says who holds it and until when; the ref says the contact is in it, not yet
 * messaged. A claim writes nothing on the threads, so there is no window after a claim in which the refs are
 * missing; a send racing the claim is ordered by the thread's hold as before.
 *
 * <p>Cost: nothing when the thread waits in no other batch (the thread is read anyway); otherwise 1
 * BatchGetItem of those batches (~4 KB each: 0.5-1 RCU) — a free text to a contact not yet messaged in a
 * batch of some goal.
 */
final class BatchHolds {
  private final BatchReads reads;

  BatchHolds(BatchReads reads) {
    this.reads = reads;
  }

  /** Who holds the contact through a batch, and until when. */
  record Hold(String agentId, Instant until, String batchId) {}

  /** The batch keys a thread points to, except the batch {@code through} (the send's own). */
  static List<Map<String, AttributeValue>> otherBatchKeys(String org, Thread thread, Optional<Batch.Ref> through) {
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    thread.batchRefs().forEach((goalAndWf, number) -> {
      if (number.startsWith(ThreadRepository.REF_DONE)) {
        return; // messaged through that batch: it holds the contact no more
      }
      int hash = goalAndWf.lastIndexOf('#');
      String goalId = goalAndWf.substring(0, hash);
      WorkflowKind wf = WorkflowKind.ofCode(goalAndWf.substring(hash + 1));
      boolean own = through.filter(r -> r.goalId().equals(goalId) && r.workflow() == wf && r.number().equals(number))
          .isPresent();
      if (!own) {
        keys.add(BatchRepository.batchKey(org, new Batch.Ref(goalId, wf, number)));
      }
    });
    return keys;
  }

  /** The live batch hold of another agent on the contact, if any. */
  Optional<Hold> heldByOther(String org, Thread thread, String contactId, String agentId, Optional<Batch.Ref> through,
                             Instant now) {
    List<Map<String, AttributeValue>> keys = otherBatchKeys(org, thread, through);
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    for (var item : reads.get(keys).values()) {
      Batch b = BatchRepository.fromItem(item);
      boolean holds = b.holder() != null && !b.holder().equals(agentId) && b.leaseUntil() != null
          && b.leaseUntil().isAfter(now) && b.members().stream().anyMatch(e -> e.contactId().equals(contactId));
      if (holds) {
        return Optional.of(new Hold(b.holder(), b.leaseUntil(), b.id()));
      }
    }
    return Optional.empty();
  }
}
