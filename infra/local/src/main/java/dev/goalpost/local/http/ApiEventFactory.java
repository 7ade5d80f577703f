package dev.goalpost.local.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the payload-v2 event API Gateway would send for a request: lowercased headers with repeats
 * comma-joined, cookies moved out of the headers into {@code cookies}, repeated query parameters
 * comma-joined, URL-decoded path parameters, the route key of the matched route, and a text body unless the
 * content type is binary (then base64 with {@code isBase64Encoded}). Absent parts are null, not empty, as in
 * the real events.
 */
public final class ApiEventFactory {
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final String apiId;
  private final String accountId;

  public ApiEventFactory(Clock clock, String apiId, String accountId) {
    this.clock = clock;
    this.apiId = apiId;
    this.accountId = accountId;
  }

  public APIGatewayV2HTTPEvent build(IncomingRequest req, RouteTable.Match match,
                                     Map<String, String> claims, List<String> scopes) {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    req.headers().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("cookie")) {
        values.forEach(v -> splitCookies(v, cookies));
      } else {
        headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
      }
    });
    headers.putIfAbsent("x-forwarded-for", req.sourceIp());
    headers.putIfAbsent("x-forwarded-proto", "http");
    String host = headers.getOrDefault("host", "127.0.0.1");
    Instant now = clock.instant();

    RequestContext.Authorizer authorizer = claims == null ? null : RequestContext.Authorizer.builder()
        .withJwt(RequestContext.Authorizer.JWT.builder().withClaims(claims).withScopes(scopes).build())
        .build();
    RequestContext context = RequestContext.builder()
        .withRouteKey(match.route().routeKey())
        .withAccountId(accountId)
        .withApiId(apiId)
        .withStage("$default")
        .withDomainName(host)
        .withDomainPrefix(host.split("[.:]", 2)[0])
        .withRequestId(UUID.randomUUID().toString())
        .withTime(CLF.format(now))
        .withTimeEpoch(now.toEpochMilli())
        .withHttp(RequestContext.Http.builder()
            .withMethod(req.method())
            .withPath(req.rawPath())
            .withProtocol(req.protocol())
            .withSourceIp(req.sourceIp())
            .withUserAgent(headers.get("user-agent"))
            .build())
        .withAuthorizer(authorizer)
        .build();

    APIGatewayV2HTTPEvent.APIGatewayV2HTTPEventBuilder event = APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(match.route().routeKey())
        .withRawPath(req.rawPath())
        .withRawQueryString(req.rawQuery() == null ? "" : req.rawQuery())
        .withCookies(cookies.isEmpty() ? null : cookies)
        .withHeaders(headers)
        .withQueryStringParameters(queryParameters(req.rawQuery()))
        .withPathParameters(match.pathParameters())
        .withRequestContext(context)
        .withIsBase64Encoded(false);
    if (req.body() != null && req.body().length > 0) {
      if (isText(headers.get("content-type"))) {
        event.withBody(new String(req.body(), StandardCharsets.UTF_8));
      } else {
        event.withBody(Base64.getEncoder().encodeToString(req.body())).withIsBase64Encoded(true);
      }
    }
    return event.build();
  }

  private static void splitCookies(String header, List<String> into) {
    for (String c : header.split(";")) {
      if (!c.isBlank()) {
        into.add(c.trim());
      }
    }
  }

  /** Decoded query parameters; a repeated name keeps every value, comma-joined, as API Gateway does. */
  static Map<String, String> queryParameters(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.merge(name, value, (a, b) -> a + "," + b);
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * Text bodies pass as is; everything else — including form posts such as carrier webhooks — arrives
   * base64-encoded, which is what HTTP APIs do.
   */
  static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
    return t.startsWith("text/")
        || t.equals("application/json")
        || t.endsWith("+json")
        || t.equals("application/xml")
        || t.endsWith("+xml")
        || t.equals("application/javascript")
        || t.equals("application/graphql");
  }
}
