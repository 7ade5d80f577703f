package dev.goalpost.local.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.LocalClock;
import dev.goalpost.local.http.IncomingRequest;
import dev.goalpost.local.http.LocalEndpoints;
import dev.goalpost.local.http.OutgoingResponse;
import dev.goalpost.messaging.inbound.FormBody;
import dev.goalpost.platform.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two provider APIs the sender calls, served by the local carrier over HTTP so the real providers'
 * code runs unchanged: Twilio's Messages API ({@code TwilioSmsProvider}, base URL {@code /_local/twilio}) and
 * End User Messaging SMS {@code SendTextMessage} ({@code EndUserMessagingSmsProvider} through the AWS SDK,
 * endpoint {@code /_local/sms-voice}). Both record each text in the {@link LocalOutbox}.
 *
 * <p>Errors on demand, by destination number (Twilio's own test numbers where it has them):
 * <pre>
 * To               Twilio answer                          SendTextMessage answer
 * +15005550001     400, code 21211 (invalid To)           ValidationException INVALID_PARAMETER on DestinationPhoneNumber
 * +15005550004     400, code 21610 (unsubscribed)         ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT
 * +15005550009     400, code 21614 (not a mobile number)  ValidationException INVALID_PARAMETER on DestinationPhoneNumber
 * +15005550429     429, code 20429                        ThrottlingException
 * +15005550500     500, code 20500                        InternalServerException
 * </pre>
 * Delivery errors (Twilio 300xx, AWS TEXT_* failures) come later, from {@code POST /_local/receipts}.
 */
public final class ProviderApis {
  static final String TWILIO_PREFIX = "/_local/twilio";
  /** The End User Messaging SMS v2 endpoint ({@code aws.endpointUrlPinpointSmsVoiceV2}). */
  public static final String SMS_VOICE_PATH = "/_local/sms-voice";
  /** The Twilio account the local cloud configures (TwilioAccountSid). */
  public static final String LOCAL_ACCOUNT_SID = "ACc0ffee0000000000000000000000000a";
  private static final Pattern TWILIO_PATH = Pattern.compile(
      Pattern.quote(TWILIO_PREFIX) + "/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages\\.json");

  public LocalEndpoints register(LocalEndpoints endpoints) {
    return endpoints.onPrefix("POST", TWILIO_PREFIX + "/", this::twilio)
        .onPrefix("POST", SMS_VOICE_PATH, this::smsVoice);
  }

  OutgoingResponse twilio(IncomingRequest req) {
    Matcher m = TWILIO_PATH.matcher(req.rawPath());
    if (!m.matches()) {
      return twilioError(404, 20404, "The requested resource " + req.rawPath() + " was not found");
    }
    String account = m.group(1);
    String expected = "Basic " + Base64.getEncoder().encodeToString(
        (account + ":" + CarrierSecrets.twilioAuthToken()).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(req.header("authorization").orElse(""))) {
      return twilioError(401, 20003, "Authenticate");
    }
    Map<String, List<String>> form;
    try {
      form = FormBody.parse(new String(req.body(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return twilioError(400, 20001, "Malformed form");
    }
    String to = first(form, "To");
    String from = first(form, "From");
    String service = first(form, "MessagingServiceSid");
    String body = Optional.ofNullable(first(form, "Body")).orElse("");
    if (to == null) {
      return twilioError(400, 21604, "A 'To' phone number is required.");
    }
    if (from == null && service == null) {
      return twilioError(400, 21603, "A 'From' phone number is required.");
    }
    switch (to) {
      case "+15005550001" -> {
        return twilioError(400, 21211, "The 'To' number " + to + " is not a valid phone number.");
      }
      case "+15005550004" -> {
        return twilioError(400, 21610, "Attempt to send to unsubscribed recipient");
      }
      case "+15005550009" -> {
        return twilioError(400, 21614, "'To' number is not a valid mobile number");
      }
      case "+15005550429" -> {
        return twilioError(429, 20429, "Too Many Requests");
      }
      case "+15005550500" -> {
        return twilioError(500, 20500, "An internal server error has occurred");
      }
      default -> { }
    }
    String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
    String sender = from != null ? from : service;
    LocalOutbox.shared().add(new LocalOutbox.Sent(sid, null, sender, to, body, LocalClock.shared().instant(),
        "twilio", first(form, "StatusCallback")));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("account_sid", account);
    out.put("api_version", "2010-04-01");
    out.put("body", body);
    out.put("date_created", LocalClock.shared().instant().toString());
    out.put("direction", "outbound-api");
    out.put("error_code", null);
    out.put("error_message", null);
    out.put("from", from);
    out.put("messaging_service_sid", service);
    out.put("num_media", "0");
    out.put("num_segments", "1");
    out.put("sid", sid);
    out.put("status", service != null ? "accepted" : "queued");
    out.put("to", to);
    out.put("uri", "/2010-04-01/Accounts/" + account + "/Messages/" + sid + ".json");
    return OutgoingResponse.json(201, out);
  }

  /**
   * {@code SendTextMessage} in the AWS JSON 1.0 protocol, as the SDK sends it: {@code POST /} with
   * {@code X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage}; answers {@code {"MessageId"}} or an error
   * {@code {"__type", "Message", "Reason"}} (docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html).
   * Like AWS without a configuration set, a send that names none is accepted but would bring no receipt:
   * the local carrier refuses it instead, so a provider that forgets it fails loudly here.
   */
  OutgoingResponse smsVoice(IncomingRequest req) {
    String target = req.header("x-amz-target").orElse("");
    if (!target.equals("PinpointSMSVoiceV2.SendTextMessage")) {
      return awsError(400, "UnknownOperationException", "The local carrier serves SendTextMessage only, not " + target, null);
    }
    JsonNode request;
    try {
      request = Json.read(new String(req.body(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return awsError(400, "SerializationException", "Malformed SendTextMessage request", null);
    }
    String to = request.path("DestinationPhoneNumber").asText("");
    String from = request.path("OriginationIdentity").asText(null);
    if (request.path("ConfigurationSetName").asText("").isBlank()) {
      return awsError(400, "ValidationException", "ConfigurationSetName is required by the local carrier"
          + " (without it AWS emits no delivery events)", "MISSING_PARAMETER");
    }
    switch (to) {
      case "+15005550001", "+15005550009" -> {
        return OutgoingResponse.json(400, Map.of("__type", "ValidationException", "Message",
            "Invalid destination phone number " + to, "Reason", "INVALID_PARAMETER",
            "Fields", List.of(Map.of("Name", "DestinationPhoneNumber", "Message", "Invalid phone number"))));
      }
      case "+15005550004" -> {
        return OutgoingResponse.json(400, Map.of("__type", "ConflictException", "Message",
            "The destination phone number is opted out", "Reason", "DESTINATION_PHONE_NUMBER_OPTED_OUT",
            "ResourceType", "opt-out-list", "ResourceId", "Default"));
      }
      case "+15005550429" -> {
        return awsError(400, "ThrottlingException", "Rate exceeded", null);
      }
      case "+15005550500" -> {
        return awsError(500, "InternalServerException", "Internal failure", null);
      }
      default -> { }
    }
    String id = UUID.randomUUID().toString();
    LocalOutbox.shared().add(new LocalOutbox.Sent(id, request.path("Context").path("goalpostMessageId").asText(null),
        from, to, request.path("MessageBody").asText(""), LocalClock.shared().instant(), "aws", null));
    return OutgoingResponse.json(200, Map.of("MessageId", id));
  }

  private static OutgoingResponse awsError(int status, String type, String message, String reason) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("__type", type);
    out.put("Message", message);
    if (reason != null) {
      out.put("Reason", reason);
    }
    return OutgoingResponse.json(status, out);
  }

  private static OutgoingResponse twilioError(int status, int code, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", code);
    out.put("message", message);
    out.put("more_info", "https://www.twilio.com/docs/errors/" + code);
    out.put("status", status);
    return OutgoingResponse.json(status, out);
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
  }
}
