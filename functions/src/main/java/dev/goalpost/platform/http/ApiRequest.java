package dev.goalpost.platform.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An HTTP API (payload v2) request, with its verified caller. */
public record ApiRequest(APIGatewayV2HTTPEvent event, Principal principal) {

  public static ApiRequest of(APIGatewayV2HTTPEvent event) {
    Map<String, String> claims = null;
    var ctx = event.getRequestContext();
    if (ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null) {
      claims = ctx.getAuthorizer().getJwt().getClaims();
    }
    return new ApiRequest(event, Principal.fromClaims(claims));
  }

  /** A request of a route that carries no JWT; {@link #principal()} is null. */
  public static ApiRequest anonymous(APIGatewayV2HTTPEvent event) {
    return new ApiRequest(event, null);
  }

  public String routeKey() {
    return event.getRouteKey();
  }

  public String pathParam(String name) {
    Map<String, String> p = event.getPathParameters();
    String v = p == null ? null : p.get(name);
    if (v == null || v.isBlank()) {
      throw ApiException.badRequest("Path parameter '" + name + "' is missing");
    }
    return v;
  }

  public Optional<String> query(String name) {
    Map<String, String> q = event.getQueryStringParameters();
    return Optional.ofNullable(q == null ? null : q.get(name)).filter(v -> !v.isBlank());
  }

  /** The {@code limit} query parameter: 1..max, {@code dflt} when absent; a 422 naming it otherwise. */
  public int limit(int dflt, int max) {
    Optional<String> raw = query("limit");
    if (raw.isEmpty()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(raw.get().trim());
      if (v >= 1 && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the precise error below
    }
    throw ApiException.invalid("limit", "must be a whole number from 1 to " + max);
  }

  public Optional<String> header(String name) {
    Map<String, String> h = event.getHeaders();
    if (h == null) {
      return Optional.empty();
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return h.entrySet().stream()
        .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(lower))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  public String rawBody() {
    String body = event.getBody();
    if (body == null) {
      return "";
    }
    return event.getIsBase64Encoded()
        ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8)
        : body;
  }

  /** The body as JSON; a 400 naming the parse error when it is not JSON. */
  public JsonNode jsonBody() {
    String raw = rawBody();
    if (raw.isBlank()) {
      throw ApiException.badRequest("The request needs a JSON body");
    }
    try {
      return Json.read(raw);
    } catch (Exception e) {
      throw ApiException.badRequest("The body is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "parse error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
