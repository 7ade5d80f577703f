package dev.goalpost.workflows;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One text in a thread, outbound (an agent's, QUEUED → SENT → DELIVERED | FAILED) or inbound (RECEIVED). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Message(
    String id,
    String threadId,
    Direction direction,
    String body,
    int segments,
    String encoding,
    Status status,
    String agentId,
    String goalId,
    String scriptId,
    String workflow,
    Instant createdAt,
    String providerMessageId,
    String error,
    String from,
    String to) {

  public enum Direction { OUTBOUND, INBOUND }

  public enum Status { QUEUED, SENDING, SENT, DELIVERED, FAILED, RECEIVED }
}
