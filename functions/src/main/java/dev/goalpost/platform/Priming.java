package dev.goalpost.platform;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda snapshots an initialized function, run its real read path once (a
 * DynamoDB read, JSON both ways, the handler's routing) so the snapshot holds loaded and JIT-warmed classes and
 * an initialized SDK client, and the first request after a restore does not pay for them. Registered through
 * CRaC ({@code org.crac}), which Lambda's SnapStart calls; outside SnapStart nothing runs it.
 *
 * <p>The hook must not leave state a restored copy would share: it only reads, and it never keeps clocks,
 * random seeds or connections in static fields (the SDK re-establishes connections after restore).
 */
public final class Priming implements Resource {
  private static final Logger LOG = Logger.getLogger(Priming.class.getName());
  private final Runnable warmup;

  private Priming(Runnable warmup) {
    this.warmup = warmup;
  }

  /** Every hook registered in this JVM (strongly held: a handler lives as long as its environment). */
  private static final java.util.List<Priming> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Registers {@code warmup} to run before the snapshot; returns the resource (CRaC holds it weakly). */
  public static Priming register(Runnable warmup) {
    Priming p = new Priming(warmup);
    REGISTERED.add(p);
    Core.getGlobalContext().register(p);
    return p;
  }

  /** Runs every registered hook now, as a snapshot would (the init-time benchmark, without SnapStart). */
  public static void primeAll() {
    REGISTERED.forEach(Priming::prime);
  }

  /** Runs the warm-up now. */
  public void prime() {
    try {
      warmup.run();
    } catch (RuntimeException e) {
      // Priming is an optimisation: a failure must never stop the function from starting.
      LOG.log(Level.WARNING, "Priming failed; the first request will warm up instead", e);
    }
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    prime();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: clients resolve credentials and connections lazily.
  }
}
