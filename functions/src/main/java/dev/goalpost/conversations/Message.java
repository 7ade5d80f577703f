package dev.goalpost.conversations;

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

  /** The longest preview an inbox row carries ({@link #preview}). */
  public static final int PREVIEW_CHARS = 80;

  /**
   * A text's first words for an inbox row: whitespace collapsed, cut at the last word boundary within
   * {@link #PREVIEW_CHARS} characters (or at the limit for one long word, never inside a surrogate pair),
   * with "…" when something was cut.
   */
  public static String preview(String body) {
    if (body == null) {
      return "";
    }
    String flat = body.strip().replaceAll("\\s+", " ");
    if (flat.length() <= PREVIEW_CHARS) {
      return flat;
    }
    int cut = flat.lastIndexOf(' ', PREVIEW_CHARS);
    if (cut <= PREVIEW_CHARS / 2) {
      cut = Character.isLowSurrogate(flat.charAt(PREVIEW_CHARS)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
    }
    return flat.substring(0, cut).stripTrailing() + "…";
  }
}
