package dev.goalpost.local.faults;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The JVM side of the fault mode (the moto launcher's {@code goalpost_faults.py} is the other): decides whether
 * the fault of a {@link FaultPlan.Kind} happens at a <em>site</em> (a queue, a function, the carrier).
 *
 * <p>A decision is a pure function of {@code (seed, kind, site, n)}, where {@code n} counts the decisions
 * already made for that kind at that site: a run that makes the same calls in the same order meets the same
 * faults. What concurrency changes is only which of several concurrent calls at one site gets the n-th
 * decision (read infra/local/README.md, "Fault mode").
 */
public final class Faults {
  private static final Logger LOG = Logger.getLogger(Faults.class.getName());
  private static volatile Faults shared = new Faults(FaultPlan.OFF);

  private final FaultPlan plan;
  private final ConcurrentHashMap<String, AtomicLong> ordinals = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<FaultPlan.Kind, AtomicLong> injected = new ConcurrentHashMap<>();

  Faults(FaultPlan plan) {
    this.plan = plan;
  }

  /** The plan every part of the local cloud in this JVM follows (off unless {@link #install} was called). */
  public static Faults shared() {
    return shared;
  }

  public static Faults install(FaultPlan plan) {
    shared = new Faults(plan);
    return shared;
  }

  public FaultPlan plan() {
    return plan;
  }

  /** Whether the {@code kind} fault happens at this decision of {@code site}. */
  public boolean inject(FaultPlan.Kind kind, String site) {
    if (!plan.has(kind) || plan.rate() <= 0) {
      return false;
    }
    String key = kind.label + "|" + site;
    long n = ordinals.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
    boolean hit = unit(plan.seed(), key, n) < plan.rate();
    if (hit) {
      injected.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      LOG.info(() -> "fault injected: " + kind.label + " at " + site + " (decision #" + n + ", seed " + plan.seed() + ")");
    }
    return hit;
  }

  /** How many faults of {@code kind} this JVM injected so far. */
  public long injected(FaultPlan.Kind kind) {
    AtomicLong c = injected.get(kind);
    return c == null ? 0 : c.get();
  }

  /** A number in [0, 1) from (seed, key, n): FNV-1a of the key, mixed with the seed and n by SplitMix64. */
  static double unit(long seed, String key, long n) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    long z = mix(mix(seed ^ h) + n);
    return (z >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A function failure the fault mode made up; its message says so and names the seed. */
  public static final class InjectedFault extends RuntimeException {
    public InjectedFault(String message) {
      super(message + " [fault injected; replay with --faults " + shared().plan().spec() + "]");
    }
  }
}
