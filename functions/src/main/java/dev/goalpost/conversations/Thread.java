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
 * @param batchRefs   the batches a claim put the contact in and it was not yet messaged from, as
 *                    {@code goalId#workflowCode → batch number}; the batch itself says who holds it and until when
 * @param batchRefsVersion bumped by every claim that writes a ref; a send conditions on it
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
    long batchRefsVersion) {

  public boolean heldByOtherThan(String agentId, Instant now) {
    return holderAgentId != null && !holderAgentId.equals(agentId) && holdUntil != null && holdUntil.isAfter(now);
  }
}
