package dev.goalpost.messaging.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;

/**
 * {@link EndUserMessagingSmsProvider} through the real AWS SDK at the HTTP level: moto does not serve
 * {@code SendTextMessage}, so a tiny server answers the AWS JSON 1.0 protocol ({@code POST /},
 * {@code X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage}) with the documented shapes
 * (docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html: the response
 * {@code {"MessageId"}}, errors as {@code __type} + {@code Message} + {@code Reason}, per
 * docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/CommonErrors.html and each exception's page),
 * and the SDK is pointed at it. One test per error mapping.
 */
class EndUserMessagingSmsProviderTest {
  private HttpServer server;
  private volatile int status = 200;
  private volatile String answer = "{\"MessageId\":\"eum-msg-1\"}";
  private volatile boolean hang;
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<JsonNode> requests = new ArrayList<>();
  private final List<String> targets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (requests) {
        targets.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
            + exchange.getRequestHeaders().getFirst("X-Amz-Target") + " "
            + exchange.getRequestHeaders().getFirst("Content-Type"));
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
      exchange.getResponseHeaders().add("content-type", "application/x-amz-json-1.0");
      exchange.getResponseHeaders().add("x-amzn-RequestId", "req-1");
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
    return send("+15125550199");
  }

  private SendResult send(String to) {
    try (var http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMillis(2500)).build();
         PinpointSmsVoiceV2Client client = PinpointSmsVoiceV2Client.builder().httpClient(http)
             .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
             .region(Region.US_EAST_1)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
             .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
             .build()) {
      return new EndUserMessagingSmsProvider(client, "goalpost-sms", null).send(
          new SmsProvider.OutboundSms("msg_1", "+15125550100", to, "Hi!"));
    }
  }

  private void error(int httpStatus, String type, String extra) {
    status = httpStatus;
    answer = "{\"__type\":\"" + type + "\",\"Message\":\"the service's words\"" + extra + "}";
  }

  @Test
  void sendsOneTextNamingTheConfigurationSetAndTakesTheMessageId() {
    assertThat(send()).isEqualTo(new SendResult.Sent("eum-msg-1"));
    assertThat(targets).containsExactly(
        "POST / PinpointSMSVoiceV2.SendTextMessage application/x-amz-json-1.0");
    JsonNode r = requests.get(0);
    assertThat(r.path("DestinationPhoneNumber").asText()).isEqualTo("+15125550199");
    assertThat(r.path("OriginationIdentity").asText()).isEqualTo("+15125550100");
    assertThat(r.path("MessageBody").asText()).isEqualTo("Hi!");
    assertThat(r.path("MessageType").asText()).isEqualTo("TRANSACTIONAL");
    assertThat(r.path("ConfigurationSetName").asText()).isEqualTo("goalpost-sms");
    assertThat(r.path("Context").path("goalpostMessageId").asText()).isEqualTo("msg_1");
    assertThat(r.has("MaxPrice")).isFalse();
  }

  @Test
  void aMaxPriceIsSentWhenConfigured() {
    try (var http = UrlConnectionHttpClient.builder().build();
         PinpointSmsVoiceV2Client client = PinpointSmsVoiceV2Client.builder().httpClient(http)
             .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
             .region(Region.US_EAST_1)
             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
             .build()) {
      new EndUserMessagingSmsProvider(client, "goalpost-sms", "0.05").send(
          new SmsProvider.OutboundSms("msg_2", "+15125550100", "+15125550199", "Hi"));
    }
    assertThat(requests.get(0).path("MaxPrice").asText()).isEqualTo("0.05");
  }

  @Test
  void noConfigurationSetIsRefusedAtStart() {
    assertThatThrownBy(() -> new EndUserMessagingSmsProvider(null, " ", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configuration set");
  }

  @Test
  void throttlingIsRetried() {
    error(400, "ThrottlingException", "");
    assertThat(send()).isInstanceOf(SendResult.Retry.class);
    assertThat(targets).hasSize(1); // no SDK retry: one request per attempt
  }

  @Test
  void aServiceQuotaIsRetried() {
    error(402, "ServiceQuotaExceededException", ",\"Reason\":\"TEXT_MESSAGES_PER_SECOND\"");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Retry.class);
    assertThat(r.toString()).contains("TEXT_MESSAGES_PER_SECOND");
  }

  @Test
  void anInternalServerErrorIsRetried() {
    error(500, "InternalServerException", ",\"RequestId\":\"r\"");
    assertThat(send()).isInstanceOf(SendResult.Retry.class);
  }

  @Test
  void anOptedOutDestinationOptsTheContactOut() {
    error(400, "ConflictException", ",\"Reason\":\"DESTINATION_PHONE_NUMBER_OPTED_OUT\","
        + "\"ResourceType\":\"opt-out-list\",\"ResourceId\":\"Default\"");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.OptedOut.class);
    assertThat(r.toString()).contains("DESTINATION_PHONE_NUMBER_OPTED_OUT");
  }

  @Test
  void anInvalidDestinationFailsNamingTheNumber() {
    error(400, "ValidationException", ",\"Reason\":\"INVALID_PARAMETER\","
        + "\"Fields\":[{\"Name\":\"DestinationPhoneNumber\",\"Message\":\"Invalid phone number\"}]");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("not a valid phone number").contains("INVALID_PARAMETER");
  }

  @Test
  void anotherValidationErrorFailsWithItsReason() {
    error(400, "ValidationException", ",\"Reason\":\"PRICE_OVER_THRESHOLD\"");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("PRICE_OVER_THRESHOLD").doesNotContain("not a valid phone number");
  }

  @Test
  void anotherConflictFailsWithItsReason() {
    error(400, "ConflictException", ",\"Reason\":\"MESSAGE_TYPE_MISMATCH\"");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("MESSAGE_TYPE_MISMATCH");
  }

  @Test
  void accessDeniedFailsWithAClearReason() {
    error(400, "AccessDeniedException", ",\"Reason\":\"ACCOUNT_DISABLED\"");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("access denied").contains("ACCOUNT_DISABLED");
    error(400, "AccessDeniedException", "");
    assertThat(send().toString()).contains("sms-voice:SendTextMessage");
  }

  @Test
  void anUnknownNumberOrConfigurationSetFails() {
    error(404, "ResourceNotFoundException", ",\"ResourceType\":\"phone-number\",\"ResourceId\":\"+15125550100\"");
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("phone-number").contains("+15125550100");
  }

  @Test
  void aTimeoutAfterTheRequestLeftFailsAndIsNotSentAgain() {
    hang = true;
    SendResult r = send();
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(r.toString()).contains("outcome is unknown").contains("not sent again");
    assertThat(targets).hasSize(1);
  }

  @Test
  void noConnectionIsRetried() {
    server.stop(0);
    assertThat(send()).isInstanceOf(SendResult.Retry.class);
  }
}
