package dev.goalpost.local.faults;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What the local cloud's fault mode injects, parsed from {@code --faults rate=0.05,seed=42} (the same text goes
 * to the moto launcher as {@code GOALPOST_FAULTS}):
 * <ul>
 *   <li>{@code rate}: the chance, per decision, that a fault is injected (0 to 1);</li>
 *   <li>{@code seed}: the PRNG seed; without one a random seed is drawn and printed, so a failure can be replayed;</li>
 *   <li>{@code window}: transactions touching an item another invocation wrote less than this ago are cancelled
 *       with {@code TransactionConflict} ({@code 0ms} turns that off; default {@value #DEFAULT_WINDOW_MS}ms);</li>
 *   <li>{@code kinds}: which faults, joined by {@code +} (default: all of {@link Kind});</li>
 *   <li>{@code redelivery}: time compression, e.g. {@code 5s}: every queue's visibility timeout is capped at
 *       that, so a delivery that failed comes back in seconds instead of the template's minute (default: off,
 *       the template's timeouts).</li>
 * </ul>
 */
public record FaultPlan(double rate, long seed, Duration window, Set<Kind> kinds, Duration redelivery) {
  public static final int DEFAULT_WINDOW_MS = 10;
  public static final FaultPlan OFF = new FaultPlan(0, 0, Duration.ZERO, Set.of(), Duration.ZERO);

  /** A fault kind and its name in {@code kinds=}. */
  public enum Kind {
    /** DynamoDB: TransactionCanceledException with TransactionConflict (at the rate, and in the window). */
    CONFLICT("conflict"),
    /** DynamoDB ProvisionedThroughputExceededException / ThrottlingException, SQS and EventBridge throttles. */
    THROTTLE("throttle"),
    /** A 500 from DynamoDB, SQS or EventBridge. */
    ERROR_5XX("5xx"),
    /** An SQS batch delivered to its function twice. */
    DUPLICATE("duplicate"),
    /** A function that fails after its handler returned (its writes committed): a timeout after the commit. */
    CRASH("crash"),
    /** The carrier answers a send with a transient error (the text did not leave). */
    CARRIER_FAIL("carrier-fail"),
    /** The carrier call times out after the text left (the outcome is unknown to the sender). */
    CARRIER_TIMEOUT("carrier-timeout");

    public final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind of(String label) {
      for (Kind k : values()) {
        if (k.label.equalsIgnoreCase(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException("--faults kinds: unknown kind '" + label + "' (known: "
          + java.util.Arrays.stream(values()).map(k -> k.label).collect(Collectors.joining(", ")) + ")");
    }
  }

  public FaultPlan {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("--faults rate: must be between 0 and 1, got " + rate);
    }
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
  }

  public boolean enabled() {
    return !kinds.isEmpty() && (rate > 0 || (kinds.contains(Kind.CONFLICT) && !window.isZero()));
  }

  public boolean has(Kind kind) {
    return kinds.contains(kind);
  }

  /** Parses {@code rate=0.05,seed=42,window=10ms,kinds=conflict+throttle}; "off" or blank is {@link #OFF}. */
  public static FaultPlan parse(String spec) {
    if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("off")) {
      return OFF;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--faults: expected NAME=VALUE, got '" + part + "' (e.g. rate=0.05,seed=42)");
      }
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (!Set.of("rate", "seed", "window", "kinds", "redelivery").contains(name)) {
        throw new IllegalArgumentException("--faults: unknown field '" + name
            + "' (rate, seed, window, kinds, redelivery)");
      }
      fields.put(name, part.substring(eq + 1).trim());
    }
    double rate;
    try {
      rate = Double.parseDouble(fields.getOrDefault("rate", "0.05"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--faults rate: not a number: " + fields.get("rate"));
    }
    long seed;
    try {
      seed = fields.containsKey("seed") ? Long.parseLong(fields.get("seed")) : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--faults seed: not an integer: " + fields.get("seed"));
    }
    String w = fields.getOrDefault("window", DEFAULT_WINDOW_MS + "ms").toLowerCase(Locale.ROOT);
    Duration window;
    try {
      window = Duration.ofMillis(Long.parseLong(w.endsWith("ms") ? w.substring(0, w.length() - 2) : w));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--faults window: expected milliseconds such as 10ms, got " + w);
    }
    Set<Kind> kinds = EnumSet.allOf(Kind.class);
    if (fields.containsKey("kinds")) {
      kinds = EnumSet.noneOf(Kind.class);
      for (String k : fields.get("kinds").split("\\+")) {
        if (!k.isBlank()) {
          kinds.add(Kind.of(k.trim()));
        }
      }
    }
    Duration redelivery = Duration.ZERO;
    if (fields.containsKey("redelivery")) {
      String r = fields.get("redelivery").toLowerCase(Locale.ROOT);
      try {
        redelivery = Duration.ofSeconds(Long.parseLong(r.endsWith("s") ? r.substring(0, r.length() - 1) : r));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--faults redelivery: expected seconds such as 5s, got " + r);
      }
    }
    return new FaultPlan(rate, seed, window, kinds, redelivery);
  }

  /** The spec that replays this plan exactly (what is printed at start and handed to the launcher). */
  public String spec() {
    return "rate=" + rate + ",seed=" + seed + ",window=" + window.toMillis() + "ms,kinds="
        + kinds.stream().sorted().map(k -> k.label).collect(Collectors.joining("+"))
        + (redelivery.isZero() ? "" : ",redelivery=" + redelivery.toSeconds() + "s");
  }
}
