package dev.goalpost.messaging.inbound;

import dev.goalpost.messaging.inbound.DeliveryReceipt.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Twilio's Programmable Messaging webhooks (form parameters, already signature-checked and parsed by
 * {@link FormBody}) into our records. Twilio adds parameters without notice; we read the ones below and ignore
 * the rest (the signature still covers them all).
 *
 * <p>Incoming message (twilio.com/docs/messaging/guides/webhook-request): {@code MessageSid} (or the deprecated
 * {@code SmsSid} when it is absent), {@code From}, {@code To}, {@code Body} (present, possibly empty when only
 * media was sent), {@code NumMedia} (0 when absent) and {@code MediaUrl0}…{@code MediaUrl{NumMedia-1}}.
 *
 * <p>Status callback (twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks):
 * {@code MessageSid} (or {@code SmsSid}), {@code MessageStatus} (or the older {@code SmsStatus}),
 * {@code ErrorCode} and, when Twilio gives one, {@code ErrorMessage}. Twilio's Message status values map as:
 * <pre>
 * accepted, scheduled, queued, sending   → QUEUED     (still with Twilio)
 * sent                                   → SENT       (handed to the carrier)
 * partially_delivered                    → SENT       (some but not all of it confirmed: not a failure, and
 *                                                      not a delivery we can count on)
 * delivered, read                        → DELIVERED  (read: a channel with read receipts confirmed more)
 * undelivered, failed, canceled          → FAILED     (canceled: a scheduled message that never went out)
 * receiving, received                    → refused: those describe inbound messages, not ours
 * </pre>
 */
public final class TwilioWebhooks {
  public static final String PROVIDER = "twilio";

  private TwilioWebhooks() {}

  public static InboundSms message(Map<String, List<String>> params) throws MalformedWebhook {
    requireParams(params);
    String id = messageSid(params);
    String from = Fields.phone("From", single(params, "From"));
    String to = Fields.phone("To", single(params, "To"));
    String body = Fields.body("Body", single(params, "Body"));
    int numMedia = numMedia(single(params, "NumMedia"));
    List<String> media = new ArrayList<>(numMedia);
    for (int i = 0; i < numMedia; i++) {
      String field = "MediaUrl" + i;
      media.add(Fields.mediaUrl(field, single(params, field)));
    }
    return new InboundSms(PROVIDER, id, from, to, body, numMedia, media);
  }

  public static DeliveryReceipt status(Map<String, List<String>> params) throws MalformedWebhook {
    requireParams(params);
    String id = messageSid(params);
    String statusField = single(params, "MessageStatus") != null ? "MessageStatus" : "SmsStatus";
    Status status = status(statusField, single(params, statusField));
    String errorCode = errorCode(single(params, "ErrorCode"));
    String errorMessage = blankToNull(single(params, "ErrorMessage"));
    return new DeliveryReceipt(PROVIDER, id, status, errorCode, errorMessage);
  }

  /** Twilio's {@code MessageStatus} in our words (see the class comment). */
  static Status status(String field, String raw) throws MalformedWebhook {
    if (raw == null || raw.isBlank()) {
      throw new MalformedWebhook("MessageStatus", "is required (e.g. sent, delivered, undelivered)");
    }
    return switch (raw.strip().toLowerCase(Locale.ROOT)) {
      case "accepted", "scheduled", "queued", "sending" -> Status.QUEUED;
      case "sent", "partially_delivered" -> Status.SENT;
      case "delivered", "read" -> Status.DELIVERED;
      case "undelivered", "failed", "canceled" -> Status.FAILED;
      case "receiving", "received" -> throw new MalformedWebhook(field,
          "'" + raw.strip() + "' is the status of an incoming message; a status callback reports an outgoing one");
      default -> throw new MalformedWebhook(field, "'" + Fields.quote(raw.strip()) + "' is not a Twilio message"
          + " status (accepted, scheduled, queued, sending, sent, partially_delivered, delivered, read,"
          + " undelivered, failed, canceled)");
    };
  }

  private static String messageSid(Map<String, List<String>> params) throws MalformedWebhook {
    String messageSid = single(params, "MessageSid");
    if (messageSid != null && !messageSid.isBlank()) {
      return Fields.id("MessageSid", messageSid);
    }
    String smsSid = single(params, "SmsSid");
    if (smsSid != null && !smsSid.isBlank()) {
      return Fields.id("SmsSid", smsSid);
    }
    throw new MalformedWebhook("MessageSid", "is required (Twilio's message SID, e.g. SM…)");
  }

  private static int numMedia(String raw) throws MalformedWebhook {
    if (raw == null || raw.isBlank()) {
      return 0;
    }
    String n = raw.strip();
    if (n.length() > 2 || !n.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(n) > Fields.MAX_MEDIA) {
      throw new MalformedWebhook("NumMedia",
          "must be a whole number from 0 to " + Fields.MAX_MEDIA + ", got '" + Fields.quote(n) + "'");
    }
    return Integer.parseInt(n);
  }

  /** Twilio's error codes are numbers (30003 "Unreachable destination handset" …). */
  private static String errorCode(String raw) throws MalformedWebhook {
    String code = blankToNull(raw);
    if (code == null) {
      return null;
    }
    if (code.length() > 10 || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new MalformedWebhook("ErrorCode", "must be Twilio's numeric error code, got '" + Fields.quote(code) + "'");
    }
    return code;
  }

  /**
   * The one value of a parameter, or null when absent. Twilio never repeats these names; a repeat with a
   * different value is refused rather than guessed at.
   */
  private static String single(Map<String, List<String>> params, String name) throws MalformedWebhook {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    String first = values.get(0);
    for (String other : values) {
      if (!java.util.Objects.equals(first, other)) {
        throw new MalformedWebhook(name, "was sent more than once with different values");
      }
    }
    return first;
  }

  private static String blankToNull(String raw) {
    return raw == null || raw.isBlank() ? null : raw.strip();
  }

  private static void requireParams(Map<String, List<String>> params) throws MalformedWebhook {
    if (params == null) {
      throw new MalformedWebhook("body", "is required (Twilio's form parameters)");
    }
  }
}
