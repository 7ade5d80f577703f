package dev.goalpost.messaging.inbound;

/**
 * A webhook we cannot accept because of its content: which field, and what is wrong with it. The handler
 * answers 400 with both, so a carrier's engineer can fix their side without asking us. Checked on purpose:
 * every parser of carrier input declares it, and nothing else escapes them (the property tests hold them to
 * that).
 */
public final class MalformedWebhook extends Exception {
  private final String field;
  private final String reason;

  public MalformedWebhook(String field, String reason) {
    // No stack trace: this is an answer to bad input (a 400), not a fault of ours, and junk can arrive in bulk.
    super(field + ": " + reason, null, false, false);
    this.field = field;
    this.reason = reason;
  }

  /** The form parameter or JSON field at fault ("body" when it is the request body as a whole). */
  public String field() {
    return field;
  }

  /** What is wrong and what would be right, e.g. "must be E.164 (+ and 8 to 15 digits), got '5125550100'". */
  public String reason() {
    return reason;
  }
}
