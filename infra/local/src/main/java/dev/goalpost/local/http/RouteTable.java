package dev.goalpost.local.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway HTTP API route selection: among the routes whose method (or ANY) and path match, the most
 * specific wins — segment by segment a literal beats a {@code {param}}, which beats a greedy
 * {@code {proxy+}}; then an explicit method beats ANY; {@code $default} catches the rest.
 */
public final class RouteTable {
  /** A selected route and its URL-decoded path parameters (null when it has none, as in the real event). */
  public record Match(HttpRoute route, Map<String, String> pathParameters) {}

  private final List<HttpRoute> routes;

  public RouteTable(List<HttpRoute> routes) {
    this.routes = routes.stream().sorted(SPECIFIC_FIRST).toList();
  }

  private static final Comparator<HttpRoute> SPECIFIC_FIRST = (a, b) -> {
    boolean aDefault = a.path().equals(HttpRoute.DEFAULT_PATH);
    boolean bDefault = b.path().equals(HttpRoute.DEFAULT_PATH);
    if (aDefault != bDefault) {
      return aDefault ? 1 : -1;
    }
    int n = Math.min(a.segments().size(), b.segments().size());
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(rank(a.segments().get(i)), rank(b.segments().get(i)));
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(b.segments().size(), a.segments().size());
    if (c != 0) {
      return c;
    }
    return Boolean.compare(a.method().equals("ANY"), b.method().equals("ANY"));
  };

  private static int rank(HttpRoute.Segment s) {
    return switch (s) {
      case HttpRoute.Literal l -> 0;
      case HttpRoute.Param p -> 1;
      case HttpRoute.Greedy g -> 2;
    };
  }

  public Optional<Match> match(String method, String rawPath) {
    String[] parts = rawPath.substring(rawPath.startsWith("/") ? 1 : 0).split("/", -1);
    for (HttpRoute r : routes) {
      if (!r.method().equals("ANY") && !r.method().equals(method)) {
        continue;
      }
      if (r.path().equals(HttpRoute.DEFAULT_PATH)) {
        return Optional.of(new Match(r, null));
      }
      Map<String, String> params = matchPath(r.segments(), parts);
      if (params != null) {
        return Optional.of(new Match(r, params.isEmpty() ? null : params));
      }
    }
    return Optional.empty();
  }

  /** The path parameters if {@code parts} fits {@code segments}, else null. */
  private static Map<String, String> matchPath(List<HttpRoute.Segment> segments, String[] parts) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      HttpRoute.Segment s = segments.get(i);
      if (s instanceof HttpRoute.Greedy g) {
        if (i >= parts.length || String.join("", List.of(parts).subList(i, parts.length)).isEmpty()) {
          return null; // {proxy+} needs at least one character
        }
        params.put(g.name(), decode(String.join("/", List.of(parts).subList(i, parts.length))));
        return params;
      }
      if (i >= parts.length) {
        return null;
      }
      switch (s) {
        case HttpRoute.Literal l -> {
          if (!l.text().equals(parts[i])) {
            return null;
          }
        }
        case HttpRoute.Param p -> {
          if (parts[i].isEmpty()) {
            return null;
          }
          params.put(p.name(), decode(parts[i]));
        }
        case HttpRoute.Greedy g -> throw new IllegalStateException("handled above");
      }
    }
    return segments.size() == parts.length ? params : null;
  }

  private static String decode(String s) {
    // Path segments use %20 for spaces; '+' stays a plus (URLDecoder is for forms, so protect it).
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public List<HttpRoute> routes() {
    return new ArrayList<>(routes);
  }
}
