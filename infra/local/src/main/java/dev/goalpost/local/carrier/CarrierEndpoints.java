package dev.goalpost.local.carrier;

import dev.goalpost.local.http.IncomingRequest;
import dev.goalpost.local.http.LocalBodies;
import dev.goalpost.local.http.LocalEndpoints;
import dev.goalpost.local.http.OutgoingResponse;
import dev.goalpost.messaging.inbound.TwilioSignature;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The local carrier's routes: {@code GET /_local/outbox} lists what was "sent"; {@code POST /_local/inbound}
 * {@code {"from","to","body","via"?}} makes a contact reply — through the provider of the group number
 * {@code to} (or {@code via}: {@code twilio} | {@code aws}): for Twilio it posts a correctly signed webhook to
 * the API, for AWS it publishes the two-way SMS payload to the template's {@code InboundSmsTopic} in the
 * emulator's SNS, so the real path (signature check or SNS → intake, queue, processor) runs;
 * {@code POST /_local/receipts} {@code {"providerMessageId","status","errorCode"?}} reports on a sent text the
 * same way: a signed Twilio status callback, or (for a text sent with SendTextMessage) an SMS event on
 * {@code SmsEventsTopic}. The provider APIs themselves are {@link ProviderApis}.
 */
public final class CarrierEndpoints {
  /** What the AWS path needs: the emulator's SNS, the two topics, and a number's provider (its claim item). */
  public record AwsPath(software.amazon.awssdk.services.sns.SnsClient sns, String inboundTopicArn,
                        String eventsTopicArn, java.util.function.Function<String, Optional<String>> providerOfNumber) {}

  private final String baseUrl;
  private final AwsPath aws;
  private final HttpClient http = HttpClient.newHttpClient();

  public CarrierEndpoints(String baseUrl) {
    this(baseUrl, null);
  }

  public CarrierEndpoints(String baseUrl, AwsPath aws) {
    this.baseUrl = baseUrl;
    this.aws = aws;
  }

  public LocalEndpoints register(LocalEndpoints endpoints) {
    new ProviderApis().register(endpoints);
    return endpoints.on("GET", "/_local/outbox", this::outbox)
        .on("POST", "/_local/inbound", this::inbound)
        .on("POST", "/_local/receipts", this::receipt);
  }

  private boolean viaAws(Optional<String> via, String number) {
    String provider = via.or(() -> aws == null ? Optional.empty() : aws.providerOfNumber().apply(number)).orElse("twilio");
    return provider.equals("aws") && aws != null;
  }

  OutgoingResponse outbox(IncomingRequest req) {
    Optional<String> to = Optional.ofNullable(req.rawQuery()).filter(q -> q.startsWith("to="))
        .map(q -> java.net.URLDecoder.decode(q.substring(3), StandardCharsets.UTF_8));
    var items = to.map(LocalOutbox.shared()::to).orElseGet(LocalOutbox.shared()::all);
    return OutgoingResponse.json(200, Map.of("items", items));
  }

  OutgoingResponse inbound(IncomingRequest req) {
    try {
      Violations v = new Violations();
      Fields f = LocalBodies.fields(req, v);
      f.allowOnly(Set.of("from", "to", "body", "messageSid", "via"));
      Optional<String> via = f.string("via");
      via.filter(x -> !Set.of("twilio", "aws").contains(x)).ifPresent(x -> v.add("via", "must be twilio or aws"));
      Optional<String> from = f.requiredString("from");
      Optional<String> to = f.requiredString("to");
      Optional<String> body = f.string("body");
      if (body.isEmpty() && !f.has("body")) {
        v.add("body", "is required (may be empty)");
      }
      LocalBodies.throwIfInvalid(v);
      if (viaAws(via, to.get())) {
        String id = f.string("messageSid").orElse(UUID.randomUUID().toString());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("originationNumber", from.get());
        payload.put("destinationNumber", to.get());
        payload.put("messageKeyword", "");
        payload.put("messageBody", body.orElse(""));
        payload.put("inboundMessageId", id);
        payload.put("previousPublishedMessageId", LocalOutbox.shared().to(from.get()).stream()
            .reduce((a, b) -> b).map(LocalOutbox.Sent::providerMessageId).orElse(""));
        String published = aws.sns().publish(r -> r.topicArn(aws.inboundTopicArn()).message(Json.write(payload))).messageId();
        return OutgoingResponse.json(200, Map.of("messageSid", id, "snsMessageId", published));
      }
      String sid = f.string("messageSid").orElse("SM" + UUID.randomUUID().toString().replace("-", ""));
      Map<String, String> params = new LinkedHashMap<>();
      params.put("MessageSid", sid);
      params.put("SmsSid", sid);
      params.put("SmsMessageSid", sid);
      params.put("AccountSid", "AClocal00000000000000000000000000");
      params.put("From", from.get());
      params.put("To", to.get());
      params.put("Body", body.orElse(""));
      params.put("NumMedia", "0");
      params.put("NumSegments", "1");
      params.put("SmsStatus", "received");
      params.put("ApiVersion", "2010-04-01");
      int status = postSigned("/webhooks/twilio/messages", params);
      return OutgoingResponse.json(200, Map.of("messageSid", sid, "webhookStatus", status));
    } catch (ApiException e) {
      return LocalBodies.problem(e);
    }
  }

  OutgoingResponse receipt(IncomingRequest req) {
    try {
      Violations v = new Violations();
      Fields f = LocalBodies.fields(req, v);
      f.allowOnly(Set.of("providerMessageId", "status", "errorCode"));
      Optional<String> id = f.requiredString("providerMessageId");
      Optional<String> status = f.requiredString("status");
      LocalBodies.throwIfInvalid(v);
      var sent = LocalOutbox.shared().byProviderId(id.get());
      if (aws != null && sent.map(x -> x.provider().equals("aws")).orElse(false)) {
        return OutgoingResponse.json(200, Map.of("snsMessageId", publishAwsEvent(sent.get(), status.get(),
            f.string("errorCode"))));
      }
      Map<String, String> params = new LinkedHashMap<>();
      params.put("MessageSid", id.get());
      params.put("SmsSid", id.get());
      params.put("MessageStatus", status.get());
      params.put("SmsStatus", status.get());
      params.put("AccountSid", "AClocal00000000000000000000000000");
      params.put("ApiVersion", "2010-04-01");
      f.string("errorCode").ifPresent(c -> params.put("ErrorCode", c));
      int code = postSigned("/webhooks/twilio/status", params);
      return OutgoingResponse.json(200, Map.of("webhookStatus", code));
    } catch (ApiException e) {
      return LocalBodies.problem(e);
    }
  }

  /**
   * An SMS event as a configuration set's SNS destination publishes it. Status: delivered → TEXT_DELIVERED,
   * sent → TEXT_SUCCESSFUL, failed/undelivered → TEXT_{errorCode} (default UNREACHABLE, e.g. BLOCKED, SPAM).
   */
  private String publishAwsEvent(LocalOutbox.Sent sent, String status, Optional<String> errorCode) {
    String type = switch (status) {
      case "delivered" -> "TEXT_DELIVERED";
      case "sent" -> "TEXT_SUCCESSFUL";
      case "queued" -> "TEXT_QUEUED";
      default -> "TEXT_" + errorCode.orElse("UNREACHABLE");
    };
    long now = dev.goalpost.local.LocalClock.shared().instant().toEpochMilli();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventType", type);
    event.put("eventVersion", "1.0");
    event.put("eventTimestamp", now);
    event.put("isFinal", !type.equals("TEXT_QUEUED"));
    event.put("originationPhoneNumber", sent.from());
    event.put("destinationPhoneNumber", sent.to());
    event.put("isInternationalSend", false);
    event.put("messageId", sent.providerMessageId());
    event.put("messageRequestTimestamp", sent.at().toEpochMilli());
    event.put("messageEncoding", "GSM");
    event.put("messageType", "TRANSACTIONAL");
    event.put("messageStatus", type.substring("TEXT_".length()));
    event.put("messageStatusDescription", "Local carrier: " + status);
    event.put("totalMessageParts", 1);
    return aws.sns().publish(r -> r.topicArn(aws.eventsTopicArn()).message(Json.write(event))).messageId();
  }

  /** Posts a form to our own API exactly as Twilio would: signed over the full URL and the sorted params. */
  private int postSigned(String path, Map<String, String> params) {
    String url = baseUrl + path;
    Map<String, List<String>> multi = new LinkedHashMap<>();
    params.forEach((k, val) -> multi.put(k, List.of(val)));
    String signature = TwilioSignature.compute(CarrierSecrets.twilioAuthToken(), url, multi);
    String form = params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .header("content-type", "application/x-www-form-urlencoded")
        .header(TwilioSignature.HEADER, signature)
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new ApiException(502, "carrier-post-failed", "Carrier post failed", e.getMessage(), List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted", "Interrupted", "interrupted", List.of());
    }
  }
}
