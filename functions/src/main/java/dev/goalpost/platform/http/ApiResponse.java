package dev.goalpost.platform.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.platform.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds payload v2 responses: JSON bodies and problem+json errors. */
public final class ApiResponse {
  /** Base of the stable problem {@code type} URIs. */
  public static final String PROBLEM_BASE = "https://goalpost.dev/problems/";

  private ApiResponse() {}

  public static APIGatewayV2HTTPResponse json(int status, Object body) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(status)
        .withHeaders(Map.of("content-type", "application/json"))
        .withBody(Json.write(body))
        .build();
  }

  public static APIGatewayV2HTTPResponse noContent() {
    return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(Map.of()).build();
  }

  public static APIGatewayV2HTTPResponse problem(ApiException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", PROBLEM_BASE + e.type());
    body.put("title", e.title());
    body.put("status", e.status());
    body.put("detail", e.getMessage());
    if (!e.errors().isEmpty()) {
      List<Map<String, String>> errors = e.errors().stream()
          .map(f -> Map.of("field", f.field(), "message", f.message()))
          .toList();
      body.put("errors", errors);
    }
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(e.status())
        .withHeaders(Map.of("content-type", "application/problem+json"))
        .withBody(Json.write(body))
        .build();
  }
}
