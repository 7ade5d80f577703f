package dev.goalpost.messaging.inbound;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Secrets;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.ApiRequest;
import dev.goalpost.platform.http.Router;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Carrier webhooks (no JWT: each carrier signs its posts). Verify the signature, parse, put one message on the
 * inbound FIFO queue, answer fast; nothing else happens here. Bad signature → 401, malformed → 400, and in both
 * cases nothing is enqueued. Twilio gets an empty TwiML answer (no auto-reply).
 */
public final class WebhooksHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private static final Logger LOG = Logger.getLogger(WebhooksHandler.class.getName());
  static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

  /** Where the verified webhook goes; the queue in AWS. */
  public interface Sink {
    void message(InboundSms sms);

    void receipt(DeliveryReceipt receipt);
  }

  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public WebhooksHandler() {
    this(new AwsClients(), ClockSource.runtimeClock());
  }

  private WebhooksHandler(AwsClients aws, Clock clock) {
    InboundQueue queue = new InboundQueue(aws.sqs(), Env.require("INBOUND_QUEUE_URL"));
    this.router = routes(new Sink() {
      @Override
      public void message(InboundSms sms) {
        queue.message(sms);
      }

      @Override
      public void receipt(DeliveryReceipt receipt) {
        queue.receipt(receipt);
      }
    }, new Secrets(aws.ssm(), clock, "TWILIO_AUTH_TOKEN", "GENERIC_WEBHOOK_SECRET"), clock,
        Env.get("WEBHOOK_BASE_URL").orElse(""));
    // Priming posts a Twilio form with a signature that cannot match: parsing, the HMAC check and the 401
    // answer run for real, and nothing is enqueued (one "Webhook refused" line is logged at snapshot time).
    this.priming = dev.goalpost.platform.Priming.register(() -> router.handle(APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0").withRouteKey("POST /webhooks/twilio/messages").withRawPath("/webhooks/twilio/messages")
        .withHeaders(Map.of("content-type", "application/x-www-form-urlencoded", "host", "priming.invalid",
            "x-twilio-signature", "priming"))
        .withBody("MessageSid=SMpriming&From=%2B15005550006&To=%2B15005550006&Body=priming")
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withDomainName("priming.invalid").build())
        .build()));
  }

  WebhooksHandler(Sink sink, Secrets secrets, Clock clock, String baseUrl) {
    this.router = routes(sink, secrets, clock, baseUrl);
  }

  private static Router routes(Sink sink, Secrets secrets, Clock clock, String baseUrl) {
    return new Router()
        .onUnauthenticated("POST /webhooks/twilio/messages", r -> {
          sink.message(parse(() -> TwilioWebhooks.message(twilioParams(r, secrets, baseUrl))));
          return twiml();
        })
        .onUnauthenticated("POST /webhooks/twilio/status", r -> {
          sink.receipt(parse(() -> TwilioWebhooks.status(twilioParams(r, secrets, baseUrl))));
          return twiml();
        })
        .onUnauthenticated("POST /webhooks/generic/messages", r -> {
          String body = r.rawBody();
          String secret = secrets.get("GENERIC_WEBHOOK_SECRET").orElse(null);
          Verdict v = GenericSignature.verify(secret, r.header(GenericSignature.TIMESTAMP_HEADER).orElse(null),
              r.header(GenericSignature.SIGNATURE_HEADER).orElse(null), body, clock.instant());
          if (v instanceof Verdict.Invalid invalid) {
            throw unauthorized(invalid.reason());
          }
          sink.message(parse(() -> GenericWebhooks.message(body)));
          return APIGatewayV2HTTPResponse.builder().withStatusCode(202)
              .withHeaders(Map.of("content-type", "application/json")).withBody("{\"accepted\":true}").build();
        });
  }

  /** Form parameters of a Twilio post whose signature matched; 401 otherwise, 400 when the form is malformed. */
  private static Map<String, List<String>> twilioParams(ApiRequest r, Secrets secrets, String baseUrl)
      throws MalformedWebhook {
    Map<String, List<String>> params = FormBody.parse(r.rawBody());
    String token = secrets.get("TWILIO_AUTH_TOKEN").orElse(null);
    String url = requestUrl(r, baseUrl);
    if (!TwilioSignature.verify(token, url, params, r.header(TwilioSignature.HEADER).orElse(null))) {
      throw unauthorized("X-Twilio-Signature does not match this request to " + url);
    }
    return params;
  }

  /**
   * The URL the carrier posted to, as it signed it: {@code WEBHOOK_BASE_URL} + path when configured (custom
   * domains), else the scheme API Gateway saw ({@code x-forwarded-proto}) and the request's host.
   */
  static String requestUrl(ApiRequest r, String baseUrl) {
    var e = r.event();
    String query = e.getRawQueryString() == null || e.getRawQueryString().isEmpty() ? "" : "?" + e.getRawQueryString();
    if (!baseUrl.isBlank()) {
      return baseUrl.replaceAll("/$", "") + e.getRawPath() + query;
    }
    String scheme = r.header("x-forwarded-proto").orElse("https");
    String host = r.header("host").orElseGet(() -> e.getRequestContext().getDomainName());
    return scheme + "://" + host + e.getRawPath() + query;
  }

  private static ApiException unauthorized(String reason) {
    LOG.warning("Webhook refused: " + reason);
    return new ApiException(401, "bad-signature", "Signature check failed", reason, List.of());
  }

  @FunctionalInterface
  private interface Parse<T> {
    T get() throws MalformedWebhook;
  }

  private static <T> T parse(Parse<T> p) {
    try {
      return p.get();
    } catch (MalformedWebhook e) {
      throw new ApiException(400, "malformed-webhook", "Malformed webhook", e.field() + ": " + e.reason(),
          List.of(new dev.goalpost.platform.http.FieldError(e.field(), e.reason())));
    }
  }

  private static APIGatewayV2HTTPResponse twiml() {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withHeaders(Map.of("content-type", "text/xml")).withBody(EMPTY_TWIML).build();
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
