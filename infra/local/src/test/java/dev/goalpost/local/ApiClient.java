package dev.goalpost.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.platform.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny client for the local HTTP API as a frontend would call it: mint a token, send JSON with it, read
 * status + JSON back; plus control of the local clock.
 */
public final class ApiClient {
  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Per request; long load runs on a slow emulator raise it ({@code -Dgoalpost.http.timeoutSeconds}). */
  static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("goalpost.http.timeoutSeconds", 60));

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A response: status, headers (lowercase names) and the body as JSON (a text node if it is not JSON). */
  public record Reply(int status, Map<String, List<String>> headers, JsonNode json, String text) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase());
      return v == null || v.isEmpty() ? null : v.getFirst();
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Signs in as Cognito would: the template's pre-token trigger reads the user's stored memberships, and the
   * token carries exactly its claims. {@code cognitoGroups} are the user's Cognito groups ("admins").
   */
  public String signIn(String userId, String orgId, Duration ttl, String... cognitoGroups) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("userId", userId);
    body.put("orgId", orgId);
    if (cognitoGroups.length > 0) {
      body.put("cognitoGroups", List.of(cognitoGroups));
    }
    if (ttl != null) {
      body.put("ttlSeconds", ttl.toSeconds());
    }
    Reply r = post("/_local/token", null, body);
    if (r.status() != 200) {
      throw new IllegalStateException("Sign-in failed: " + r.status() + " " + r.text());
    }
    return r.json().path("token").asText();
  }

  /** Explicit claims, no stored memberships: {@code roles} (admin, and one group role for each of {@code groups}). */
  public String token(String userId, String orgId, List<String> roles, List<String> groups) {
    return token(userId, orgId, roles, groups, null);
  }

  public String token(String userId, String orgId, List<String> roles, List<String> groups, Duration ttl) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("userId", userId);
    body.put("orgId", orgId);
    body.put("roles", roles);
    body.put("groups", groups);
    if (ttl != null) {
      body.put("ttlSeconds", ttl.toSeconds());
    }
    Reply r = post("/_local/token", null, body);
    if (r.status() != 200) {
      throw new IllegalStateException("Token request failed: " + r.status() + " " + r.text());
    }
    return r.json().path("token").asText();
  }

  public Reply get(String path, String token) {
    return send("GET", path, token, null);
  }

  public Reply post(String path, String token, Object body) {
    return send("POST", path, token, body);
  }

  public Reply put(String path, String token, Object body) {
    return send("PUT", path, token, body);
  }

  public Reply patch(String path, String token, Object body) {
    return send("PATCH", path, token, body);
  }

  public Reply delete(String path, String token) {
    return send("DELETE", path, token, null);
  }

  public Reply send(String method, String path, String token, Object jsonBody) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("authorization", "Bearer " + token);
    }
    if (jsonBody != null) {
      headers.put("content-type", "application/json");
    }
    return raw(method, path, headers, jsonBody == null ? null : Json.write(jsonBody).getBytes());
  }

  /** Any request, headers as given (for authorizer, CORS and body-encoding tests). */
  public Reply raw(String method, String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    try {
      HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, List<String>> h = new LinkedHashMap<>();
      resp.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v));
      return new Reply(resp.statusCode(), h, parse(resp.body()), resp.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return Json.MAPPER.missingNode();
    }
    try {
      return Json.read(text);
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(text);
    }
  }

  // ------------------------------------------------------------------ clock

  public Instant now() {
    return Instant.parse(get("/_local/clock", null).json().path("now").asText());
  }

  /** Freezes the local clock at {@code at}. */
  public Instant freezeClock(Instant at) {
    return clock(Map.of("set", at.toString(), "freeze", true));
  }

  public Instant advanceClock(Duration by) {
    return clock(Map.of("advance", by.toString()));
  }

  public Instant resetClock() {
    return clock(Map.of("reset", true));
  }

  private Instant clock(Map<String, Object> body) {
    Reply r = post("/_local/clock", null, body);
    if (r.status() != 200) {
      throw new IllegalStateException("Clock change refused: " + r.text());
    }
    return Instant.parse(r.json().path("now").asText());
  }
}
