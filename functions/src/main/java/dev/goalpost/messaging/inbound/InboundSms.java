package dev.goalpost.messaging.inbound;

import java.util.List;
import java.util.Objects;

/**
 * A text a contact sent to one of our numbers, as a carrier reported it, before we look up group or contact.
 *
 * @param provider          who delivered it: "twilio" or "generic"
 * @param providerMessageId the carrier's id for the message; the inbound consumer is idempotent on it
 * @param from              the contact's phone, E.164 as the carrier gave it
 * @param to                the group's number, E.164 as the carrier gave it
 * @param body              the text exactly as sent (not trimmed); empty when the message is media only
 * @param mediaCount        how many attachments; always {@code mediaUrls.size()}
 * @param mediaUrls         where the carrier hosts each attachment (https)
 */
public record InboundSms(
    String provider,
    String providerMessageId,
    String from,
    String to,
    String body,
    int mediaCount,
    List<String> mediaUrls) {

  public InboundSms {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(body, "body");
    mediaUrls = List.copyOf(mediaUrls);
    if (mediaCount != mediaUrls.size()) {
      throw new IllegalArgumentException(
          "mediaCount " + mediaCount + " differs from the " + mediaUrls.size() + " media URLs");
    }
  }
}
