package dev.goalpost.local.auth;

import dev.goalpost.platform.Json;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Flattens verified JWT claims the way API Gateway's JWT authorizer hands them to a function in
 * {@code requestContext.authorizer.jwt.claims}: every value a string — numbers in plain notation, booleans
 * as {@code true}/{@code false}, arrays as ONE string {@code "[a b c]"} (space-separated, no quotes), objects
 * as JSON. Functions must parse that form ({@code Principal.parseList}), so the local cloud reproduces it.
 */
public final class ApiGatewayClaims {
  private ApiGatewayClaims() {}

  public static Map<String, String> format(Map<String, Object> claims) {
    Map<String, String> out = new LinkedHashMap<>();
    claims.forEach((k, v) -> {
      if (v != null) {
        out.put(k, value(v));
      }
    });
    return out;
  }

  static String value(Object v) {
    return switch (v) {
      case String s -> s;
      case Collection<?> c -> c.stream().map(ApiGatewayClaims::value).collect(Collectors.joining(" ", "[", "]"));
      case Object[] a -> value(Arrays.asList(a));
      case Double d -> new BigDecimal(d.toString()).stripTrailingZeros().toPlainString();
      case Float f -> new BigDecimal(f.toString()).stripTrailingZeros().toPlainString();
      case Number n -> n.toString();
      case java.util.Date d -> String.valueOf(d.getTime() / 1000);
      case Map<?, ?> m -> Json.write(m);
      default -> String.valueOf(v);
    };
  }

  /** The {@code scopes} API Gateway lists: the {@code scope} claim split on spaces (or {@code scp}); null if none. */
  public static List<String> scopes(Map<String, Object> claims) {
    Object scope = claims.get("scope");
    if (scope instanceof String s && !s.isBlank()) {
      return List.of(s.trim().split("\\s+"));
    }
    Object scp = claims.get("scp");
    if (scp instanceof Collection<?> c && !c.isEmpty()) {
      return c.stream().map(String::valueOf).toList();
    }
    return null;
  }
}
