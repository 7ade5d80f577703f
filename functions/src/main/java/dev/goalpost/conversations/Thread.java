package dev.goalpost.conversations;

import java.time.Instant;
import java.util.Set;

/**
 * The one conversation between a group and a contact. Many agents may work it over time, one at a time:
 * {@code holderAgentId} holds it until {@code holdUntil} (a claim, or the response window after a message).
 *
 * @param unread      the latest message is a reply no agent has read yet
 * @param goalId      the goal of the latest outbound message: replies count as that goal's unread work
 * @param agents      every agent who has messaged the contact here (their "All" conversations)
 * @param pool        whose unread work a reply is: ANY, or the assigned agent in ASSIGNED goals
 * @param batchRefs   the batch of each (goal, workflow) the contact is in, as {@code goalId#workflowCode → ref}:
 *                    the batch number while the contact is not yet messaged through it, {@code +number} once it
 *                    is ({@link ThreadRepository#batchRefName}); the batch itself says who holds it and until when
 * @param recent      the thread's latest send requests (idempotency, {@link RecentRequests}), newest last
 * @param recentVersion bumped by every send that appends to {@code recent}; the send conditions on it
 */
public record Thread(
    String id,
    String orgId,
    String groupId,
    String contactId,
    String holderAgentId,
    Instant holdUntil,
    boolean unread,
    Instant lastMessageAt,
    String lastDirection,
    Instant lastInboundAt,
    String goalId,
    String assignedAgentId,
    Set<String> agents,
    String pool,
    java.util.Map<String, String> batchRefs,
    java.util.List<String> recent,
    long recentVersion) {

  /** The contact's batch number in (goal, workflow) while it is not yet messaged through it. */
  public java.util.Optional<String> pendingBatch(String goalId, String workflowCode) {
    String ref = batchRefs.get(goalId + "#" + workflowCode);
    return ref == null || ref.startsWith(ThreadRepository.REF_DONE) ? java.util.Optional.empty()
        : java.util.Optional.of(ref);
  }

  public boolean heldByOtherThan(String agentId, Instant now) {
    return holderAgentId != null && !holderAgentId.equals(agentId) && holdUntil != null && holdUntil.isAfter(now);
  }
}
