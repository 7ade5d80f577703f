package dev.goalpost.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;

/**
 * Secrets such as carrier auth tokens. In AWS the function's {@code <NAME>_PARAMETER} variable names an SSM
 * Parameter Store SecureString, read with decryption and cached for {@value #CACHE_MINUTES} minutes, so a
 * rotation reaches every instance within minutes without a request per invocation. In the local cloud the
 * same parameter lives in the emulator's SSM. A plain {@code <NAME>} variable (tests, development) wins when
 * set. Values are never logged.
 */
public final class Secrets {
  static final long CACHE_MINUTES = 5;

  private final SsmClient ssm;
  private final Clock clock;
  private final Map<String, String> direct = new ConcurrentHashMap<>();
  private final Map<String, String> parameters = new ConcurrentHashMap<>();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(String value, Instant expires) {}

  /** Reads where each named secret comes from now, at init (configuration is never read per request). */
  public Secrets(SsmClient ssm, Clock clock, String... names) {
    this.ssm = ssm;
    this.clock = clock;
    for (String name : names) {
      Env.get(name).ifPresent(v -> direct.put(name, v));
      Env.get(name + "_PARAMETER").ifPresent(p -> parameters.put(name, p));
    }
  }

  /** The secret {@code name}, or empty when neither {@code name} nor {@code name_PARAMETER} is configured. */
  public Optional<String> get(String name) {
    if (direct.containsKey(name)) {
      return Optional.of(direct.get(name));
    }
    Optional<String> parameter = Optional.ofNullable(parameters.get(name));
    if (parameter.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Cached c = cache.get(parameter.get());
    if (c != null && c.expires().isAfter(now)) {
      return Optional.of(c.value());
    }
    String value = ssm.getParameter(GetParameterRequest.builder().name(parameter.get()).withDecryption(true).build())
        .parameter().value();
    cache.put(parameter.get(), new Cached(value, now.plus(Duration.ofMinutes(CACHE_MINUTES))));
    return Optional.of(value);
  }
}
