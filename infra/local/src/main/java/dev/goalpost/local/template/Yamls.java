package dev.goalpost.local.template;

import java.util.List;
import java.util.Map;

/** Null-tolerant views of parsed YAML values (absent sections read as empty). */
public final class Yamls {
  private Yamls() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object value) {
    if (value instanceof List<?> l) {
      return (List<Object>) l;
    }
    return value == null ? List.of() : List.of(value);
  }

  public static String string(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  /** Walks nested maps: {@code at(props, "Auth", "Authorizer")}. */
  public static Object at(Object root, String... path) {
    Object cur = root;
    for (String p : path) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(p);
    }
    return cur;
  }
}
