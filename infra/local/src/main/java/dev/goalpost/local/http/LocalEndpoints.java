package dev.goalpost.local.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code /_local/...} routes (token issuer, clock, later the carrier): served by the local cloud itself,
 * never through the authorizer, and absent from the deployed API.
 */
public final class LocalEndpoints {
  public static final String PREFIX = "/_local/";

  private final Map<String, Function<IncomingRequest, OutgoingResponse>> routes = new LinkedHashMap<>();

  public LocalEndpoints on(String method, String path, Function<IncomingRequest, OutgoingResponse> handler) {
    routes.put(method + " " + path, handler);
    return this;
  }

  private final Map<String, Function<IncomingRequest, OutgoingResponse>> prefixes = new LinkedHashMap<>();

  /** A route for every path under {@code prefix} (the local carrier's provider APIs). */
  public LocalEndpoints onPrefix(String method, String prefix, Function<IncomingRequest, OutgoingResponse> handler) {
    prefixes.put(method + " " + prefix, handler);
    return this;
  }

  public OutgoingResponse handle(IncomingRequest req) {
    var handler = routes.get(req.method() + " " + req.rawPath());
    if (handler != null) {
      return handler.apply(req);
    }
    for (var e : prefixes.entrySet()) {
      if ((req.method() + " " + req.rawPath()).startsWith(e.getKey())) {
        return e.getValue().apply(req);
      }
    }
    boolean pathKnown = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + req.rawPath()));
    return pathKnown
        ? OutgoingResponse.gatewayError(405, "Method Not Allowed")
        : OutgoingResponse.gatewayError(404, "Not Found");
  }
}
