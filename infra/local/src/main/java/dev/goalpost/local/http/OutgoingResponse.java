package dev.goalpost.local.http;

import dev.goalpost.platform.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A response ready to write: status, headers (several values per name, e.g. set-cookie) and body bytes. */
public record OutgoingResponse(int status, Map<String, List<String>> headers, byte[] body) {

  public static OutgoingResponse json(int status, Object body) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("content-type", List.of("application/json"));
    return new OutgoingResponse(status, h, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** API Gateway's own error answers: {@code {"message": "..."}}. */
  public static OutgoingResponse gatewayError(int status, String message) {
    return json(status, Map.of("message", message));
  }

  /**
   * The local authorizer's 401: API Gateway's {@code {"message":"Unauthorized"}} (so clients written against
   * AWS read it the same) plus, locally only, problem+json members that say why ({@code reason} is the stable
   * code of {@link dev.goalpost.local.auth.JwtAuthorizer.Denied}).
   */
  public static OutgoingResponse unauthorized(String reason, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", "Unauthorized");
    body.put("type", dev.goalpost.platform.http.ApiResponse.PROBLEM_BASE + "unauthorized");
    body.put("title", "Not authenticated");
    body.put("status", 401);
    body.put("reason", reason);
    body.put("detail", detail);
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("content-type", List.of("application/problem+json"));
    return new OutgoingResponse(401, h, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  public OutgoingResponse withHeaders(Map<String, String> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Map<String, List<String>> h = new LinkedHashMap<>(headers);
    extra.forEach((k, v) -> h.put(k, List.of(v)));
    return new OutgoingResponse(status, h, body);
  }
}
