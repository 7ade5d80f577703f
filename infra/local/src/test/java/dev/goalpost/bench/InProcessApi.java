package dev.goalpost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.LocalClock;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.auth.JwtAuthorizer;
import dev.goalpost.local.auth.LocalIssuer;
import dev.goalpost.local.functions.EventSource;
import dev.goalpost.local.functions.FunctionSpec;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.local.http.ApiEventFactory;
import dev.goalpost.local.http.HttpRoute;
import dev.goalpost.local.http.IncomingRequest;
import dev.goalpost.local.http.OutgoingResponse;
import dev.goalpost.local.http.ResponseMapper;
import dev.goalpost.local.http.RouteTable;
import dev.goalpost.platform.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local HTTP API without the socket: the same route table, JWT authorizer, payload-v2 event and hosted
 * functions as {@code HttpApiServer}, but the function runs on the caller's thread. That is what makes the
 * benchmark's per-operation counts exact under concurrency: every DynamoDB request a handler makes happens on
 * the thread that opened the {@link DynamoMeter} sample.
 */
final class InProcessApi {
  private final LocalCloud cloud;
  private final RouteTable routes;
  private final JwtAuthorizer authorizer;
  private final ApiEventFactory events;
  private final Map<String, JwtAuthorizer.Allowed> verified = new ConcurrentHashMap<>();
  private volatile java.util.function.BiConsumer<String, Object> onInvoke = (function, event) -> { };

  InProcessApi(LocalCloud cloud) {
    this.cloud = cloud;
    List<HttpRoute> list = new ArrayList<>();
    for (FunctionSpec spec : cloud.functions().specs()) {
      for (EventSource e : spec.events()) {
        if (e instanceof EventSource.HttpApi api) {
          list.add(HttpRoute.of(api.method(), api.path(), spec.logicalId(), api.authorizer()));
        }
      }
    }
    this.routes = new RouteTable(list);
    this.authorizer = new JwtAuthorizer(cloud.issuer(), LocalClock.shared());
    this.events = new ApiEventFactory(LocalClock.shared(), "local", cloud.stack().accountId());
  }

  /** Called with each function id and the event it is about to be invoked with. */
  void onInvoke(java.util.function.BiConsumer<String, Object> listener) {
    this.onInvoke = listener;
  }

  record Reply(int status, JsonNode json, String text) {
    String type() {
      String t = json.path("type").asText();
      return t.substring(t.lastIndexOf('/') + 1);
    }
  }

  String token(String userId, String orgId, List<String> roles, List<String> groups) {
    return cloud.issuer().mint(new LocalIssuer.TokenRequest(userId, orgId, roles, groups, Duration.ofDays(365)));
  }

  Reply post(String path, String token, Object body) {
    return call("POST", path, token, body);
  }

  Reply put(String path, String token, Object body) {
    return call("PUT", path, token, body);
  }

  Reply get(String path, String token) {
    return call("GET", path, token, null);
  }

  Reply call(String method, String path, String token, Object body) {
    return call(method, path, token, body, Map.of());
  }

  /** A JSON call with more headers (lower-case names), e.g. {@code idempotency-key}. */
  Reply call(String method, String path, String token, Object body, Map<String, String> more) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("authorization", List.of("Bearer " + token));
    more.forEach((k, v) -> headers.put(k, List.of(v)));
    byte[] bytes = null;
    if (body != null) {
      headers.put("content-type", List.of("application/json"));
      bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
    return raw(method, path, null, headers, bytes);
  }

  /** A Twilio webhook form post, signed over the URL the handler will reconstruct (https + host + path). */
  Reply twilio(String path, Map<String, String> params) {
    String host = "readiness.example.com";
    Map<String, List<String>> multi = new LinkedHashMap<>();
    params.forEach((k, v) -> multi.put(k, List.of(v)));
    String signature = dev.goalpost.messaging.inbound.TwilioSignature.compute(
        dev.goalpost.local.carrier.CarrierSecrets.twilioAuthToken(), "https://" + host + path, multi);
    String form = params.entrySet().stream().map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
        + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("&"));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("host", List.of(host));
    headers.put("x-forwarded-proto", List.of("https"));
    headers.put("content-type", List.of("application/x-www-form-urlencoded"));
    headers.put(dev.goalpost.messaging.inbound.TwilioSignature.HEADER.toLowerCase(java.util.Locale.ROOT),
        List.of(signature));
    return raw("POST", path, null, headers, form.getBytes(StandardCharsets.UTF_8));
  }

  /** The parameters Twilio posts for an incoming text. */
  static Map<String, String> twilioReply(String from, String to, String body) {
    String sid = "SM" + java.util.UUID.randomUUID().toString().replace("-", "");
    Map<String, String> p = new LinkedHashMap<>();
    p.put("MessageSid", sid);
    p.put("SmsSid", sid);
    p.put("AccountSid", "AClocal00000000000000000000000000");
    p.put("From", from);
    p.put("To", to);
    p.put("Body", body);
    p.put("NumMedia", "0");
    p.put("NumSegments", "1");
    p.put("SmsStatus", "received");
    p.put("ApiVersion", "2010-04-01");
    return p;
  }

  /**
   * One request as given (headers, query, body bytes). A route with the JWT authorizer gets the claims of the
   * request's bearer token, as the HTTP server does; a route without one (webhooks) gets none.
   */
  Reply raw(String method, String path, String query, Map<String, List<String>> headers, byte[] bytes) {
    var match = routes.match(method, path).orElseThrow(() -> new IllegalArgumentException("No route " + method + " " + path));
    Map<String, String> claims = null;
    List<String> scopes = null;
    if (match.route().authorizer() != null) {
      String bearer = headers.getOrDefault("authorization", List.of("")).getFirst();
      JwtAuthorizer.Allowed allowed = verified.computeIfAbsent(bearer, t -> switch (authorizer.authorize(t)) {
        case JwtAuthorizer.Allowed a -> a;
        case JwtAuthorizer.Denied d -> throw new IllegalStateException("token refused: " + d.reason());
      });
      claims = allowed.claims();
      scopes = allowed.scopes();
    }
    var event = events.build(new IncomingRequest(method, path, query, headers, bytes, "127.0.0.1", "HTTP/1.1"),
        match, claims, scopes);
    HostedFunction fn = cloud.functions().function(match.route().functionId())
        .orElseThrow(() -> new IllegalStateException("function " + match.route().functionId() + " not loaded"));
    onInvoke.accept(fn.spec().logicalId(), event);
    OutgoingResponse res = ResponseMapper.map(fn.invoke(event));
    String text = new String(res.body(), StandardCharsets.UTF_8);
    JsonNode json;
    try {
      json = text.isBlank() ? Json.MAPPER.missingNode() : Json.read(text);
    } catch (IOException e) {
      json = Json.MAPPER.getNodeFactory().textNode(text);
    }
    return new Reply(res.status(), json, text);
  }
}
