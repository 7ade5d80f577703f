package dev.goalpost.messaging.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.goalpost.messaging.outbound.SmsProvider.SendResult;
import dev.goalpost.platform.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointClient;

/**
 * {@link PinpointSmsProvider} through the real AWS SDK, at the HTTP level: moto does not serve
 * {@code SendMessages}, so a tiny server answers {@code POST /v1/apps/{ApplicationId}/messages} with the
 * documented {@code MessageResponse} shape (docs.aws.amazon.com/pinpoint/latest/apireference/apps-application-id-messages.html)
 * and the SDK is pointed at it with an endpoint override.
 */
class PinpointSmsProviderTest {
  private HttpServer server;
  private volatile int status = 200;
  private volatile String answer;
  private volatile String errorType;
  private volatile boolean hang;
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<JsonNode> requests = new ArrayList<>();
  private final List<String> paths = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      synchronized (requests) {
        paths.add(exchange.getRequestURI().getPath());
      }
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (requests) {
        try {
          requests.add(Json.read(body));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
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
      if (errorType != null) {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
      }
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

  private SendResult send() {
    try (var http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMillis(700)).build();
         PinpointClient client = PinpointClient.builder().httpClient(http)
             .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
             .region(Region.US_EAST_1)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
             .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
             .build()) {
      return new PinpointSmsProvider(client, "app-1").send(
          new SmsProvider.OutboundSms("msg_1", "+15125550100", "+15125550199", "Hi!"));
    }
  }

  /** The documented MessageResponse for one address. */
  private static String response(String deliveryStatus, int statusCode, String messageId) {
    return "{\"ApplicationId\":\"app-1\",\"RequestId\":\"req-1\",\"Result\":{\"+15125550199\":{"
        + "\"DeliveryStatus\":\"" + deliveryStatus + "\",\"StatusCode\":" + statusCode
        + (messageId == null ? "" : ",\"MessageId\":\"" + messageId + "\"")
        + ",\"StatusMessage\":\"" + (messageId == null ? deliveryStatus : "MessageId: " + messageId) + "\"}}}";
  }

  @Test
  void sendsOneSmsFromTheGroupsNumberAndTakesTheMessageId() {
    answer = response("SUCCESSFUL", 200, "pp-msg-1");
    assertThat(send()).isEqualTo(new SendResult.Sent("pp-msg-1"));
    assertThat(paths).containsExactly("/v1/apps/app-1/messages");
    JsonNode sms = requests.get(0).path("MessageConfiguration").path("SMSMessage");
    assertThat(sms.path("OriginationNumber").asText()).isEqualTo("+15125550100");
    assertThat(sms.path("Body").asText()).isEqualTo("Hi!");
    assertThat(requests.get(0).path("Addresses").path("+15125550199").path("ChannelType").asText()).isEqualTo("SMS");
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({"PERMANENT_FAILURE, 400, Failed", "THROTTLED, 429, Retry", "TEMPORARY_FAILURE, 500, Retry",
      "UNKNOWN_FAILURE, 500, Retry", "OPT_OUT, 400, OptedOut", "DUPLICATE, 400, Failed"})
  void eachDeliveryStatusMapsToItsOutcome(String deliveryStatus, int code, String outcome) {
    answer = response(deliveryStatus, code, null);
    assertThat(send().getClass().getSimpleName()).isEqualTo(outcome);
  }

  @Test
  void aThrottledOrFailingCallIsRetriedAndARefusedOneFails() {
    status = 429;
    errorType = "TooManyRequestsException";
    answer = "{\"Message\":\"Too many requests\",\"RequestID\":\"r\"}";
    assertThat(send()).isInstanceOf(SendResult.Retry.class);
    status = 500;
    errorType = "InternalServerErrorException";
    answer = "{\"Message\":\"Internal error\",\"RequestID\":\"r\"}";
    assertThat(send()).isInstanceOf(SendResult.Retry.class);
    status = 400;
    errorType = "BadRequestException";
    answer = "{\"Message\":\"Invalid origination number\",\"RequestID\":\"r\"}";
    SendResult refused = send();
    assertThat(refused).isInstanceOf(SendResult.Failed.class);
    assertThat(refused.toString()).contains("Invalid origination number");
    assertThat(paths).hasSize(3); // no SDK retries: one request per attempt
  }

  @Test
  void aTimeoutIsAFailureWithItsReasonNotASecondSend() {
    hang = true;
    answer = response("SUCCESSFUL", 200, "pp-late");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("not sent again");
    assertThat(paths).hasSize(1); // one attempt, no SDK retry
  }

  @Test
  void noConnectionIsRetried() {
    server.stop(0);
    answer = "{}";
    assertThat(send()).isInstanceOf(SendResult.Retry.class);
  }
}
