package dev.goalpost.messaging.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.messaging.inbound.DeliveryReceipt.Status;
import dev.goalpost.platform.Json;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what AWS End User Messaging SMS publishes for AWS numbers into our records. Both arrive on SNS topics
 * of the template and reach the intake queue either wrapped in SNS's notification envelope ({@code Type}
 * "Notification", the payload as the string {@code Message}) or raw; an EventBridge event (the payload under
 * {@code detail}) is read too.
 *
 * <p>A reply (two-way SMS, docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms-payload.html):
 * {@code originationNumber} (the contact), {@code destinationNumber} (our number), {@code messageBody},
 * {@code inboundMessageId} (our idempotency key), {@code messageKeyword}, {@code previousPublishedMessageId}.
 * Keywords are ours to judge from the body, exactly as for webhooks: {@code messageKeyword} only says which
 * registered keyword AWS matched.
 *
 * <p>A delivery event (a configuration set's event destination,
 * docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html): {@code eventType},
 * {@code messageId} (the id End User Messaging SMS generates when it accepts the message: the
 * {@code MessageId} that {@code SendTextMessage} returned, stored as the text's provider id at SENT; the
 * sender names the stack's configuration set on every send, without which AWS emits no event),
 * {@code destinationPhoneNumber}, {@code messageStatus}, {@code messageStatusDescription}, {@code isFinal},
 * {@code eventTimestamp}, {@code context} (the send's {@code Context}: our {@code goalpostMessageId}). Event
 * types map as:
 * <pre>
 * TEXT_DELIVERED                                    → DELIVERED
 * TEXT_SUCCESSFUL (accepted by the carrier)         → SENT
 * TEXT_QUEUED, TEXT_PENDING                         → QUEUED (no change)
 * TEXT_BLOCKED, TEXT_TTL_EXPIRED, TEXT_CARRIER_UNREACHABLE, TEXT_INVALID, TEXT_INVALID_MESSAGE,
 * TEXT_CARRIER_BLOCKED, TEXT_UNREACHABLE, TEXT_SPAM, TEXT_PROTECT_BLOCKED, TEXT_UNKNOWN, with isFinal true
 * (or absent)                                       → FAILED, errorCode = the event type minus TEXT_,
 *                                                     errorMessage = messageStatusDescription
 * the same with isFinal false (an intermediate status: AWS may still deliver, up to 72 h later)
 *                                                   → QUEUED (no change: FAILED is final for us, so taking
 *                                                     it early would shut out a later TEXT_DELIVERED)
 * </pre>
 * AWS promises no order; a receipt never moves a message backwards (the processor's rule), so a late
 * SUCCESSFUL after DELIVERED changes nothing.
 */
public final class AwsSmsEvents {
  public static final String PROVIDER = "aws";
  private static final Set<String> FAILURES = Set.of("TEXT_BLOCKED", "TEXT_TTL_EXPIRED", "TEXT_CARRIER_UNREACHABLE",
      "TEXT_INVALID", "TEXT_INVALID_MESSAGE", "TEXT_CARRIER_BLOCKED", "TEXT_UNREACHABLE", "TEXT_SPAM",
      "TEXT_PROTECT_BLOCKED", "TEXT_UNKNOWN");

  private AwsSmsEvents() {}

  /** What one queue record holds: a reply, a receipt, or nothing of ours (e.g. SNS's subscription notice). */
  public sealed interface Parsed {
    record Reply(InboundSms sms) implements Parsed {}

    record Receipt(DeliveryReceipt receipt) implements Parsed {}

    record Ignored(String why) implements Parsed {}
  }

  public static Parsed parse(String recordBody) throws MalformedWebhook {
    JsonNode node = json("body", recordBody);
    if (node.has("Type") && node.has("Message")) {
      String type = node.path("Type").asText();
      if (!"Notification".equals(type)) {
        return new Parsed.Ignored("SNS " + type);
      }
      node = json("Message", node.path("Message").asText());
    }
    if (node.has("detail") && node.path("detail").isObject()) {
      node = node.path("detail");
    }
    if (node.has("inboundMessageId")) {
      return new Parsed.Reply(reply(node));
    }
    if (node.has("eventType")) {
      Optional<DeliveryReceipt> r = receipt(node);
      return r.isPresent() ? new Parsed.Receipt(r.get()) : new Parsed.Ignored("event " + node.path("eventType").asText());
    }
    throw new MalformedWebhook("body", "is neither an AWS two-way SMS reply (inboundMessageId) nor an SMS event"
        + " (eventType)");
  }

  static InboundSms reply(JsonNode n) throws MalformedWebhook {
    String id = Fields.id("inboundMessageId", text(n, "inboundMessageId"));
    String from = Fields.phone("originationNumber", text(n, "originationNumber"));
    String to = Fields.phone("destinationNumber", text(n, "destinationNumber"));
    String body = Fields.body("messageBody", n.has("messageBody") ? n.path("messageBody").asText() : null);
    return new InboundSms(PROVIDER, id, from, to, body, 0, List.of());
  }

  static Optional<DeliveryReceipt> receipt(JsonNode n) throws MalformedWebhook {
    String type = text(n, "eventType").strip().toUpperCase(Locale.ROOT);
    if (!type.startsWith("TEXT_")) {
      return Optional.empty(); // voice, MMS, registration: not ours
    }
    String id = Fields.id("messageId", text(n, "messageId"));
    String description = n.path("messageStatusDescription").asText(null);
    Status status;
    String code = null;
    switch (type) {
      case "TEXT_DELIVERED" -> status = Status.DELIVERED;
      case "TEXT_SUCCESSFUL" -> status = Status.SENT;
      case "TEXT_QUEUED", "TEXT_PENDING" -> status = Status.QUEUED;
      default -> {
        if (!FAILURES.contains(type)) {
          throw new MalformedWebhook("eventType", "'" + Fields.quote(type) + "' is not an SMS event type");
        }
        if (!n.path("isFinal").asBoolean(true)) {
          status = Status.QUEUED; // not final yet: wait for the next event
        } else {
          status = Status.FAILED;
          code = type.substring("TEXT_".length());
        }
      }
    }
    return Optional.of(new DeliveryReceipt(PROVIDER, id, status, code, description));
  }

  private static String text(JsonNode n, String field) throws MalformedWebhook {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || !v.isTextual() || v.asText().isBlank()) {
      throw new MalformedWebhook(field, "is required");
    }
    return v.asText();
  }

  private static JsonNode json(String field, String raw) throws MalformedWebhook {
    try {
      JsonNode n = Json.read(raw);
      if (n == null || !n.isObject()) {
        throw new MalformedWebhook(field, "must be a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new MalformedWebhook(field, "is not JSON");
    }
  }
}
