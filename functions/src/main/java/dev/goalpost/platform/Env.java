package dev.goalpost.platform;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A function's configuration, as the template's {@code Environment.Variables} give it.
 *
 * <p>In Lambda this is the process environment. The local cloud hosts every function in one JVM, so it
 * installs each function's variables (resolved from {@code template.yaml}) on the constructing thread while it
 * builds that function's handler. Handlers therefore read configuration only at init, never per request.
 */
public final class Env {
  private static final ThreadLocal<Map<String, String>> OVERRIDES = new ThreadLocal<>();

  private Env() {}

  public static Optional<String> get(String name) {
    Map<String, String> overrides = OVERRIDES.get();
    if (overrides != null && overrides.containsKey(name)) {
      return Optional.ofNullable(overrides.get(name));
    }
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }

  public static String require(String name) {
    return get(name)
        .orElseThrow(() -> new IllegalStateException(
            "Environment variable " + name + " is not set; template.yaml must declare it for this function"));
  }

  /** Runs {@code body} (typically a handler constructor) with {@code variables} visible through {@link #get}. */
  public static <T> T with(Map<String, String> variables, Supplier<T> body) {
    Map<String, String> previous = OVERRIDES.get();
    OVERRIDES.set(Map.copyOf(variables));
    try {
      return body.get();
    } finally {
      if (previous == null) {
        OVERRIDES.remove();
      } else {
        OVERRIDES.set(previous);
      }
    }
  }
}
