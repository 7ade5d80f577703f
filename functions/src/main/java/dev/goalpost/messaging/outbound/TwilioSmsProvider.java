package dev.goalpost.messaging.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.groups.NumberProvider;
import dev.goalpost.platform.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Twilio's Messages API (twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
 * {@code POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json}, a form with {@code To}, {@code From} (or
 * {@code MessagingServiceSid} when the number sends through a Messaging Service), {@code Body} and
 * {@code StatusCallback} (our status webhook; a Messaging Service uses its own callback), HTTP basic auth with
 * the account SID and the auth token (SSM, the same secret that signs Twilio's webhooks). The JDK's HTTP client
 * does it: no Twilio SDK on the class path (cold start).
 *
 * <p>Answers, as Twilio documents them (twilio.com/docs/usage/twilios-response, twilio.com/docs/errors):
 * <pre>
 * 201, status queued / accepted / sending / sent / scheduled → SENT with the SM… sid
 * 201, status failed / undelivered                          → FAILED with error_code
 * 429, 5xx, error 20429 (too many requests), 21611 (From's queue is full)
 *                                                           → retry with backoff (nothing was sent)
 * error 21610 (the recipient replied STOP to this sender)   → opted out org-wide, never retried
 * error 21211 (invalid To), 21614 (To is not a mobile number), any other 4xx
 *                                                           → FAILED with Twilio's code and message
 * no connection (refused, connect timeout)                  → retry (nothing left)
 * a timeout or broken connection after the request left     → FAILED: the outcome is unknown and Twilio has no
 *                                                             idempotency key, so a retry could text twice
 * </pre>
 * The 300xx delivery errors (30003 unreachable, 30005 unknown handset, 30006 landline, 30007 filtered, 30008
 * unknown) arrive later on the status callback and fail the message there ({@code TwilioWebhooks}).
 */
public final class TwilioSmsProvider implements SmsProvider {
  public static final String DEFAULT_BASE_URL = "https://api.twilio.com";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http;
  private final String baseUrl;
  private final Supplier<String> authToken;
  private final String statusCallbackUrl;
  private final String defaultAccountSid;
  private final Duration requestTimeout;

  /**
   * @param baseUrl           Twilio's API root (overridable: the local carrier serves the same API)
   * @param authToken         the auth token, read when a text is sent (cached by {@code Secrets})
   * @param statusCallbackUrl our {@code /webhooks/twilio/status} URL, or null to send none
   * @param defaultAccountSid the account of numbers whose setting names none (the deployment's default)
   */
  public TwilioSmsProvider(String baseUrl, Supplier<String> authToken, String statusCallbackUrl,
                           String defaultAccountSid) {
    this(baseUrl, authToken, statusCallbackUrl, defaultAccountSid, REQUEST_TIMEOUT);
  }

  TwilioSmsProvider(String baseUrl, Supplier<String> authToken, String statusCallbackUrl, String defaultAccountSid,
                    Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.authToken = authToken;
    this.statusCallbackUrl = statusCallbackUrl == null || statusCallbackUrl.isBlank() ? null : statusCallbackUrl;
    this.defaultAccountSid = defaultAccountSid;
  }

  @Override
  public String name() {
    return NumberProvider.TWILIO;
  }

  @Override
  public SendResult send(OutboundSms sms) {
    NumberProvider via = sms.via();
    String account = via != null && via.accountSid() != null ? via.accountSid() : defaultAccountSid;
    if (account == null || account.isBlank()) {
      return new SendResult.Failed("Twilio: no account SID for " + sms.from()
          + " (set the number's accountSid or the TwilioAccountSid parameter)");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("To", sms.to());
    if (via != null && via.messagingServiceSid() != null) {
      form.put("MessagingServiceSid", via.messagingServiceSid());
    } else {
      form.put("From", sms.from());
      if (statusCallbackUrl != null) {
        form.put("StatusCallback", statusCallbackUrl);
      }
    }
    form.put("Body", sms.body());
    String token;
    try {
      token = authToken.get();
    } catch (RuntimeException e) {
      return new SendResult.Retry("Twilio auth token unavailable: " + e.getMessage());
    }
    if (token == null || token.isBlank()) {
      return new SendResult.Failed("Twilio auth token is not configured (TwilioAuthTokenParameter)");
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/2010-04-01/Accounts/" + account + "/Messages.json"))
        .timeout(requestTimeout)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("authorization", "Basic " + Base64.getEncoder().encodeToString(
            (account + ":" + token).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return new SendResult.Retry("Twilio unreachable (" + e.getClass().getSimpleName() + "): nothing was sent");
    } catch (IOException e) {
      return new SendResult.Failed("Twilio did not answer (" + e.getClass().getSimpleName()
          + "); the text may or may not have left, so it is not sent again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult.Failed("Interrupted while Twilio was answering; the outcome is unknown, not sent again");
    }
    return classify(response.statusCode(), response.body());
  }

  /** Twilio's answer in our words (the table in the class comment). */
  static SendResult classify(int status, String body) {
    JsonNode json = parse(body);
    if (status >= 200 && status < 300) {
      String sid = json.path("sid").asText("");
      String state = json.path("status").asText("");
      if (state.equals("failed") || state.equals("undelivered")) {
        return new SendResult.Failed("Twilio " + json.path("error_code").asText("") + ": "
            + json.path("error_message").asText(state));
      }
      if (sid.isBlank()) {
        return new SendResult.Failed("Twilio answered " + status + " without a message sid");
      }
      return new SendResult.Sent(sid);
    }
    int code = json.path("code").asInt(0);
    String message = json.path("message").asText("HTTP " + status);
    if (status == 429 || status >= 500 || code == 20429 || code == 21611) {
      return new SendResult.Retry("Twilio " + status + (code == 0 ? "" : " (" + code + ")") + ": " + message);
    }
    return switch (code) {
      case 21610 -> new SendResult.OptedOut("Twilio 21610: the recipient unsubscribed from this sender (replied STOP)");
      case 21211 -> new SendResult.Failed("Twilio 21211: the 'To' number is not a valid phone number");
      case 21614 -> new SendResult.Failed("Twilio 21614: the 'To' number is not a mobile number");
      case 20003 -> new SendResult.Failed("Twilio 20003: the account SID and auth token were refused");
      default -> new SendResult.Failed("Twilio " + status + (code == 0 ? "" : " error " + code) + ": " + message);
    };
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? Json.MAPPER.createObjectNode() : Json.read(body);
    } catch (Exception e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
