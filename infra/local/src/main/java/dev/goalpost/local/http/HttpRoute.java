package dev.goalpost.local.http;

import java.util.ArrayList;
import java.util.List;

/**
 * One HTTP API route from the template: {@code routeKey} exactly as API Gateway names it
 * ("GET /groups/{groupId}"), the function behind it and the authorizer that guards it (null = public).
 */
public record HttpRoute(String method, String path, String functionId, String authorizer, List<Segment> segments) {

  /** A path piece: a literal, a {@code {param}}, or the greedy {@code {proxy+}} (last only). */
  public sealed interface Segment permits Literal, Param, Greedy {}

  public record Literal(String text) implements Segment {}

  public record Param(String name) implements Segment {}

  public record Greedy(String name) implements Segment {}

  public static final String DEFAULT_PATH = "$default";

  public static HttpRoute of(String method, String path, String functionId, String authorizer) {
    return new HttpRoute(method, path, functionId, authorizer, parse(path));
  }

  public String routeKey() {
    return path.equals(DEFAULT_PATH) ? DEFAULT_PATH : method + " " + path;
  }

  static List<Segment> parse(String path) {
    List<Segment> out = new ArrayList<>();
    if (path.equals(DEFAULT_PATH)) {
      return out;
    }
    String[] parts = path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.startsWith("{") && p.endsWith("+}")) {
        if (i != parts.length - 1) {
          throw new IllegalArgumentException("Greedy " + p + " must be the last segment of " + path);
        }
        out.add(new Greedy(p.substring(1, p.length() - 2)));
      } else if (p.startsWith("{") && p.endsWith("}")) {
        out.add(new Param(p.substring(1, p.length() - 1)));
      } else {
        out.add(new Literal(p));
      }
    }
    return out;
  }
}
