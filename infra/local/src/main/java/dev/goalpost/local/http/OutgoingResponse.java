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

  public OutgoingResponse withHeaders(Map<String, String> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Map<String, List<String>> h = new LinkedHashMap<>(headers);
    extra.forEach((k, v) -> h.put(k, List.of(v)));
    return new OutgoingResponse(status, h, body);
  }
}
