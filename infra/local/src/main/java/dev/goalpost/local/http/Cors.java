package dev.goalpost.local.http;

import dev.goalpost.local.template.Yamls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HttpApi's {@code CorsConfiguration}, applied as API Gateway applies it: preflights are answered by the
 * API itself (no function runs), and responses to an allowed {@code Origin} get the allow-origin headers.
 */
public record Cors(List<String> allowOrigins, List<String> allowHeaders, List<String> allowMethods,
                   List<String> exposeHeaders, Integer maxAge, boolean allowCredentials) {

  public static final Cors NONE = new Cors(List.of(), List.of(), List.of(), List.of(), null, false);

  /** From the resolved {@code CorsConfiguration} value ({@code true} allows every origin). */
  public static Cors from(Object config) {
    if (config == null || Boolean.FALSE.equals(config)) {
      return NONE;
    }
    if (Boolean.TRUE.equals(config)) {
      return new Cors(List.of("*"), List.of("*"), List.of("*"), List.of(), null, false);
    }
    Map<String, Object> c = Yamls.map(config);
    Object maxAge = c.get("MaxAge");
    return new Cors(strings(c.get("AllowOrigins")), strings(c.get("AllowHeaders")), strings(c.get("AllowMethods")),
        strings(c.get("ExposeHeaders")), maxAge == null ? null : Integer.valueOf(String.valueOf(maxAge)),
        Boolean.parseBoolean(String.valueOf(c.get("AllowCredentials"))));
  }

  private static List<String> strings(Object v) {
    return Yamls.list(v).stream().map(String::valueOf).toList();
  }

  public boolean enabled() {
    return !allowOrigins.isEmpty();
  }

  public boolean isPreflight(IncomingRequest req) {
    return enabled() && req.method().equals("OPTIONS") && req.header("origin").isPresent()
        && req.header("access-control-request-method").isPresent();
  }

  private boolean allows(String origin) {
    return origin != null && allowOrigins.stream().anyMatch(o -> o.equals("*") || o.equalsIgnoreCase(origin));
  }

  /** Headers of the 204 preflight answer; empty when the origin or method is not allowed. */
  public Map<String, String> preflightHeaders(IncomingRequest req) {
    String origin = req.header("origin").orElse(null);
    String method = req.header("access-control-request-method").orElse("").toUpperCase(Locale.ROOT);
    boolean methodOk = allowMethods.contains("*") || allowMethods.stream().anyMatch(m -> m.equalsIgnoreCase(method));
    Map<String, String> h = new LinkedHashMap<>();
    if (!allows(origin) || !methodOk) {
      return h;
    }
    h.put("access-control-allow-origin", allowOrigin(origin));
    h.put("access-control-allow-methods", String.join(",", allowMethods));
    if (!allowHeaders.isEmpty()) {
      h.put("access-control-allow-headers", String.join(",", allowHeaders));
    }
    if (maxAge != null) {
      h.put("access-control-max-age", String.valueOf(maxAge));
    }
    if (allowCredentials) {
      h.put("access-control-allow-credentials", "true");
    }
    return h;
  }

  /** Headers added to an ordinary response when the request came from an allowed origin. */
  public Map<String, String> responseHeaders(IncomingRequest req) {
    String origin = req.header("origin").orElse(null);
    Map<String, String> h = new LinkedHashMap<>();
    if (!enabled() || !allows(origin)) {
      return h;
    }
    h.put("access-control-allow-origin", allowOrigin(origin));
    if (!exposeHeaders.isEmpty()) {
      h.put("access-control-expose-headers", String.join(",", exposeHeaders));
    }
    if (allowCredentials) {
      h.put("access-control-allow-credentials", "true");
    }
    return h;
  }

  private String allowOrigin(String origin) {
    return allowOrigins.contains("*") && !allowCredentials ? "*" : origin;
  }
}
