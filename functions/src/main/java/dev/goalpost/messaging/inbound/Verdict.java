package dev.goalpost.messaging.inbound;

/** Whether a signed webhook may be trusted; when not, why (logged, and returned to the carrier with the 401). */
public sealed interface Verdict {

  record Valid() implements Verdict {}

  record Invalid(String reason) implements Verdict {}

  Verdict VALID = new Valid();

  default boolean isValid() {
    return this instanceof Valid;
  }
}
