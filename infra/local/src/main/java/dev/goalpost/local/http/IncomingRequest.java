package dev.goalpost.local.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The raw HTTP request as received, independent of the server library (so event building is unit-testable). */
public record IncomingRequest(
    String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
    String sourceIp, String protocol) {

  /** First value of a header, case-insensitively. */
  public Optional<String> header(String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
        .map(e -> e.getValue().getFirst())
        .findFirst();
  }
}
