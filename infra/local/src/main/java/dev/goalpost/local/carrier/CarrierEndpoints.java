package dev.goalpost.local.carrier;

import dev.goalpost.local.http.IncomingRequest;
import dev.goalpost.local.http.LocalBodies;
import dev.goalpost.local.http.LocalEndpoints;
import dev.goalpost.local.http.OutgoingResponse;
import dev.goalpost.messaging.inbound.TwilioSignature;
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
 * {@code {"from","to","body"}} makes a contact reply — it posts a correctly signed Twilio webhook to the API,
 * so the real path (signature check, queue, processor) runs; {@code POST /_local/receipts}
 * {@code {"providerMessageId","status"}} posts a signed Twilio status callback the same way.
 */
public final class CarrierEndpoints {
  private final String baseUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  public CarrierEndpoints(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public LocalEndpoints register(LocalEndpoints endpoints) {
    return endpoints.on("GET", "/_local/outbox", this::outbox)
        .on("POST", "/_local/inbound", this::inbound)
        .on("POST", "/_local/receipts", this::receipt);
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
      f.allowOnly(Set.of("from", "to", "body", "messageSid"));
      Optional<String> from = f.requiredString("from");
      Optional<String> to = f.requiredString("to");
      Optional<String> body = f.string("body");
      if (body.isEmpty() && !f.has("body")) {
        v.add("body", "is required (may be empty)");
      }
      LocalBodies.throwIfInvalid(v);
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
