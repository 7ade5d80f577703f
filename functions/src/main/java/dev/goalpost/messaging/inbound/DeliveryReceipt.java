package dev.goalpost.messaging.inbound;

import java.util.Objects;

/**
 * A carrier's report on a message we sent.
 *
 * @param provider          who reported it: "twilio" or "generic"
 * @param providerMessageId the carrier's id of our outbound message (recorded when we sent it)
 * @param status            where the message is now, in our words
 * @param errorCode         the carrier's error code when it failed (Twilio: e.g. "30003"), else null
 * @param errorMessage      the carrier's description of the error when it gave one, else null
 */
public record DeliveryReceipt(
    String provider, String providerMessageId, Status status, String errorCode, String errorMessage) {

  /**
   * Our delivery states. Carriers have more (Twilio: accepted, scheduled, sending…); each carrier's parser
   * documents how its states map here. A message only moves forward: QUEUED → SENT → DELIVERED or FAILED.
   */
  public enum Status {
    /** The carrier has it but has not handed it to the network yet. */
    QUEUED,
    /** Handed to the network; no handset confirmation (yet, or ever: many networks never confirm). */
    SENT,
    /** The handset (or the app, for read receipts) confirmed it. */
    DELIVERED,
    /** It will not arrive: rejected, undeliverable, or canceled before sending. */
    FAILED
  }

  public DeliveryReceipt {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    Objects.requireNonNull(status, "status");
  }
}
