package dev.goalpost.local.http;

import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /_local/settle} {@code {"timeoutSeconds"?: 1..120}} → {@code {"settled": true, "ms"}} once the
 * local cloud is quiet: a schedule check that began after the call has run (so a clock move's transitions are
 * done), every queue with a trigger is empty, every table stream with a trigger has handed every record written
 * so far to its function (the stream projection's counters, results and rows) and no function is running, twice
 * in a row. Lets a shell tour,
 * or a test, read the result of asynchronous work (a send reaching the carrier, a reply stored) without
 * guessing a delay. 504 problem+json when the timeout passes first.
 */
public final class SettleEndpoint {
  private static final int DEFAULT_TIMEOUT_SECONDS = 30;

  /** The wait itself: {@link dev.goalpost.local.LocalCloud#settle}. */
  @FunctionalInterface
  public interface Settler {
    void settle(Duration timeout) throws TimeoutException;
  }

  private final Settler settler;

  public SettleEndpoint(Settler settler) {
    this.settler = settler;
  }

  public OutgoingResponse handle(IncomingRequest req) {
    try {
      Violations v = new Violations();
      Fields f = req.body() == null || req.body().length == 0 ? null : LocalBodies.fields(req, v);
      int timeout = DEFAULT_TIMEOUT_SECONDS;
      if (f != null) {
        f.allowOnly(Set.of("timeoutSeconds"));
        timeout = f.integer("timeoutSeconds", 1, 120).orElse(DEFAULT_TIMEOUT_SECONDS);
      }
      LocalBodies.throwIfInvalid(v);
      long start = System.nanoTime();
      settler.settle(Duration.ofSeconds(timeout));
      return OutgoingResponse.json(200, Map.of("settled", true, "ms", (System.nanoTime() - start) / 1_000_000));
    } catch (ApiException e) {
      return LocalBodies.problem(e);
    } catch (TimeoutException e) {
      return LocalBodies.problem(new ApiException(504, "not-settled", "The local cloud did not settle",
          e.getMessage(), List.of()));
    }
  }
}
