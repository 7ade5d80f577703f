package dev.goalpost.messaging.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.goalpost.groups.NumberProvider;
import dev.goalpost.messaging.inbound.FormBody;
import dev.goalpost.messaging.outbound.SmsProvider.SendResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TwilioSmsProvider} against a tiny HTTP server answering as Twilio's Messages API documents
 * (twilio.com/docs/messaging/api/message-resource, twilio.com/docs/usage/twilios-response): the request it
 * sends, and one test per answer and error code.
 */
class TwilioSmsProviderTest {
  static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
  static final String SERVICE = "MG" + "fedcba9876543210".repeat(2);

  private HttpServer server;
  private volatile int status = 201;
  private volatile String answer;
  private final List<Map<String, List<String>>> forms = new ArrayList<>();
  private final List<String> paths = new ArrayList<>();
  private final List<String> auths = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (forms) {
        try {
          forms.add(FormBody.parse(body));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        paths.add(exchange.getRequestURI().getPath());
        auths.add(exchange.getRequestHeaders().getFirst("authorization"));
      }
      if (hang) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(status, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private TwilioSmsProvider provider() {
    return new TwilioSmsProvider("http://127.0.0.1:" + server.getAddress().getPort() + "/", () -> "token-1",
        "https://api.example/webhooks/twilio/status", ACCOUNT, Duration.ofMillis(500));
  }

  private SendResult send(NumberProvider via) {
    return provider().send(new SmsProvider.OutboundSms("msg_1", "+15125550100", "+15125550199", "Hi there & welcome", via));
  }

  private static String created(String sid, String state) {
    return "{\"account_sid\":\"" + ACCOUNT + "\",\"api_version\":\"2010-04-01\",\"body\":\"Hi\",\"direction\":\"outbound-api\","
        + "\"error_code\":null,\"error_message\":null,\"from\":\"+15125550100\",\"num_segments\":\"1\",\"sid\":\"" + sid
        + "\",\"status\":\"" + state + "\",\"to\":\"+15125550199\"}";
  }

  private static String error(int code, int httpStatus, String message) {
    return "{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":\"https://www.twilio.com/docs/errors/"
        + code + "\",\"status\":" + httpStatus + "}";
  }

  @Test
  void postsTheDocumentedFormWithBasicAuthAndOurStatusCallback() {
    answer = created("SM123", "queued");
    assertThat(send(NumberProvider.twilio(ACCOUNT, null))).isEqualTo(new SendResult.Sent("SM123"));
    assertThat(paths).containsExactly("/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json");
    assertThat(auths.get(0)).isEqualTo("Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":token-1").getBytes()));
    assertThat(forms.get(0)).containsEntry("To", List.of("+15125550199")).containsEntry("From", List.of("+15125550100"))
        .containsEntry("Body", List.of("Hi there & welcome"))
        .containsEntry("StatusCallback", List.of("https://api.example/webhooks/twilio/status"))
        .doesNotContainKey("MessagingServiceSid");
  }

  @Test
  void aMessagingServiceSendsForTheNumberAndUsesItsOwnCallback() {
    answer = created("SM124", "accepted");
    assertThat(send(NumberProvider.twilio(ACCOUNT, SERVICE))).isEqualTo(new SendResult.Sent("SM124"));
    assertThat(forms.get(0)).containsEntry("MessagingServiceSid", List.of(SERVICE)).doesNotContainKey("From")
        .doesNotContainKey("StatusCallback");
  }

  @Test
  void aNumberWithoutSettingsUsesTheDeploymentsAccount() {
    answer = created("SM125", "queued");
    assertThat(send(null)).isEqualTo(new SendResult.Sent("SM125"));
    assertThat(paths.get(0)).contains(ACCOUNT);
  }

  @ParameterizedTest(name = "HTTP {0}, Twilio error {1} -> {2}")
  @CsvSource({
      "400, 21610, OptedOut, 21610",   // unsubscribed recipient: opted out, never retried
      "400, 21211, Failed, 21211",     // invalid To
      "400, 21614, Failed, 21614",     // To is not a mobile number
      "400, 21408, Failed, 21408",     // any other 4xx: failed with Twilio's code
      "401, 20003, Failed, 20003",     // credentials refused
      "429, 20429, Retry, 429",        // too many requests
      "400, 21611, Retry, 21611",      // the From number's queue is full: later
      "500, 20500, Retry, 500",        // Twilio's 5xx
      "503, 20503, Retry, 503"})
  void eachDocumentedErrorMapsToItsOutcome(int httpStatus, int code, String outcome, String mentioned) {
    status = httpStatus;
    answer = error(code, httpStatus, "documented error");
    SendResult r = send(NumberProvider.twilio(ACCOUNT, null));
    assertThat(r.getClass().getSimpleName()).isEqualTo(outcome);
    assertThat(r.toString()).contains(mentioned);
  }

  @Test
  void aMessageCreatedAlreadyFailedIsFailedWithItsCode() {
    answer = created("SM126", "failed").replace("\"error_code\":null", "\"error_code\":30007")
        .replace("\"error_message\":null", "\"error_message\":\"Message filtered\"");
    SendResult r = send(null);
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("30007").contains("filtered");
  }

  @Test
  void noConnectionIsRetriedBecauseNothingLeft() {
    int port = server.getAddress().getPort();
    server.stop(0);
    SendResult r = new TwilioSmsProvider("http://127.0.0.1:" + port, () -> "t", null, ACCOUNT, Duration.ofMillis(500))
        .send(new SmsProvider.OutboundSms("msg_1", "+15125550100", "+15125550199", "Hi", null));
    assertThat(r).isInstanceOf(SendResult.Retry.class);
  }

  @Test
  void aTimeoutAfterTheRequestLeftFailsInsteadOfRiskingASecondText() {
    hang = true;
    answer = created("SM127", "queued");
    SendResult r = send(null);
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("not sent again");
    assertThat(paths).hasSize(1);
  }
}
