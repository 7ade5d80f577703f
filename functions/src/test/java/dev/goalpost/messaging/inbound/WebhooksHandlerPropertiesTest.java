package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * Whatever a stranger posts to the webhooks — any body, any headers, any encoding — the answer is a 4xx and
 * nothing is enqueued: no input produces a 5xx or reaches the queue without a valid signature.
 */
class WebhooksHandlerPropertiesTest {
  static final Instant NOW = Instant.parse("2026-12-02T16:00:00Z");
  static final List<String> ROUTES = List.of("POST /webhooks/twilio/messages", "POST /webhooks/twilio/status",
      "POST /webhooks/generic/messages");

  private final List<Object> enqueued = new ArrayList<>();
  private final WebhooksHandler handler = Env.with(Map.of("TWILIO_AUTH_TOKEN", "token-1",
      "GENERIC_WEBHOOK_SECRET", "secret-1"), () -> new WebhooksHandler(new WebhooksHandler.Sink() {
        @Override
        public void message(InboundSms sms) {
          enqueued.add(sms);
        }

        @Override
        public void receipt(DeliveryReceipt receipt) {
          enqueued.add(receipt);
        }
      }, new Secrets(null, Clock.fixed(NOW, ZoneOffset.UTC), "TWILIO_AUTH_TOKEN", "GENERIC_WEBHOOK_SECRET"),
      Clock.fixed(NOW, ZoneOffset.UTC), ""));

  @net.jqwik.api.Example
  void aCorrectlySignedTwilioPostIsEnqueuedOnceAndAnsweredWithEmptyTwiml() {
    String form = "MessageSid=SM123&From=%2B15125550101&To=%2B15125550100&Body=Hi+there&NumMedia=0";
    Map<String, List<String>> params = Map.of("MessageSid", List.of("SM123"), "From", List.of("+15125550101"),
        "To", List.of("+15125550100"), "Body", List.of("Hi there"), "NumMedia", List.of("0"));
    String signature = TwilioSignature.compute("token-1", "https://api.example.org/webhooks/twilio/messages", params);
    APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0").withRouteKey("POST /webhooks/twilio/messages").withRawPath("/webhooks/twilio/messages")
        .withHeaders(Map.of("x-twilio-signature", signature, "host", "api.example.org", "x-forwarded-proto", "https"))
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withDomainName("api.example.org").build())
        .withBody(form).build();

    var response = handler.handleRequest(event, null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getBody()).isEqualTo(WebhooksHandler.EMPTY_TWIML);
    assertThat(enqueued).hasSize(1);
    assertThat(((InboundSms) enqueued.getFirst()).body()).isEqualTo("Hi there");
  }

  @Provide
  Arbitrary<String> routes() {
    return Arbitraries.of(ROUTES);
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> names = Arbitraries.of("x-twilio-signature", "X-Twilio-Signature", "x-goalpost-timestamp",
        "x-goalpost-signature", "content-type", "host", "x-forwarded-proto");
    Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80),
        Arbitraries.of("1796227200", "v1=00", "v1=" + "a".repeat(64), "application/x-www-form-urlencoded",
            "https", "127.0.0.1:8080", ""));
    return Arbitraries.maps(names, values).ofMaxSize(5);
  }

  @Property(tries = 500)
  void strangersGetA4xxAndNothingIsEnqueued(@ForAll("routes") String route, @ForAll("headers") Map<String, String> headers,
                                            @ForAll @StringLength(max = 600) String body, @ForAll boolean base64) {
    APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0").withRouteKey(route).withRawPath(route.substring(5))
        .withHeaders(new HashMap<>(headers))
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withDomainName("api.example.org").build())
        .withBody(base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body)
        .withIsBase64Encoded(base64)
        .build();

    var response = handler.handleRequest(event, null);

    assertThat(response.getStatusCode()).isBetween(400, 499);
    assertThat(enqueued).isEmpty();
  }
}
