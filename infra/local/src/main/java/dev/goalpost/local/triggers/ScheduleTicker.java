package dev.goalpost.local.triggers;

import dev.goalpost.local.functions.EventSource;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.local.template.Stack;
import dev.goalpost.platform.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires {@code Type: ScheduleV2} / {@code Type: Schedule} events on the LOCAL clock. Every ~200 ms of real
 * time it reads the local clock; a schedule whose next due instant has been crossed fires once, and its next
 * due instant is computed from "now" — so jumping the clock an hour ahead fires a rate(1 minute) schedule
 * once, not sixty times (like a scheduler that was down and does not replay missed runs). Moving the clock
 * back re-plans from the new time.
 */
public final class ScheduleTicker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ScheduleTicker.class.getName());
  private static final long TICK_MILLIS = 200;

  /** One scheduled function event and its next due instant (only the ticker thread touches {@code next}). */
  private static final class Entry {
    final HostedFunction function;
    final EventSource.Schedule source;
    final ScheduleExpression expression;
    final String arn;
    Instant next;

    Entry(HostedFunction function, EventSource.Schedule source, ScheduleExpression expression, String arn, Instant next) {
      this.function = function;
      this.source = source;
      this.expression = expression;
      this.arn = arn;
      this.next = next;
    }
  }

  private final Clock clock;
  private final Stack stack;
  private final List<Entry> entries = new ArrayList<>();
  private final ScheduledExecutorService executor;
  private final AtomicLong ticks = new AtomicLong();
  private final AtomicBoolean firing = new AtomicBoolean();
  private Instant lastSeen;

  public ScheduleTicker(Clock clock, Stack stack) {
    this.clock = clock;
    this.stack = stack;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("schedules").unstarted(r));
  }

  /** Registers a schedule; a malformed expression is logged and skipped (the template is still usable). */
  public void add(HostedFunction function, EventSource.Schedule source) {
    Instant now = clock.instant();
    try {
      ScheduleExpression expression = ScheduleExpression.parse(source.expression(), source.timeZone(), now);
      String name = stack.physicalName(function.spec().logicalId() + "-" + source.name());
      String arn = source.scheduler()
          ? stack.arn("scheduler", "schedule/default/" + name)
          : stack.arn("events", "rule/" + name);
      synchronized (entries) {
        entries.add(new Entry(function, source, expression, arn, expression.nextAfter(now)));
      }
    } catch (RuntimeException e) {
      LOG.warning(() -> "Skipping schedule " + source.name() + " of " + function.spec().logicalId() + ": " + e.getMessage());
    }
  }

  public void start() {
    lastSeen = clock.instant();
    executor.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      boolean movedBack = now.isBefore(lastSeen);
      lastSeen = now;
      List<Entry> snapshot;
      synchronized (entries) {
        snapshot = List.copyOf(entries);
      }
      for (Entry e : snapshot) {
        if (movedBack) {
          e.next = e.expression.nextAfter(now);
        }
        if (e.next != null && !now.isBefore(e.next)) {
          Instant due = e.next;
          e.next = e.expression.nextAfter(now);
          fire(e, due);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Schedule tick failed", e);
    } finally {
      ticks.incrementAndGet();
    }
  }

  private void fire(Entry e, Instant due) {
    firing.set(true);
    try {
      e.function.invoke(payload(e, due));
      LOG.info(() -> "Schedule " + e.source.name() + " fired " + e.function.spec().logicalId() + " for " + due);
    } catch (RuntimeException ex) {
      // EventBridge Scheduler would retry with backoff; locally a failure is reported and the next run is awaited.
      LOG.log(Level.WARNING, "Schedule " + e.source.name() + " of " + e.function.spec().logicalId() + " failed for " + due, ex);
    } finally {
      firing.set(false);
    }
  }

  /** The schedule's Input (with Scheduler's context placeholders filled in), else a Scheduled Event. */
  private Object payload(Entry e, Instant due) {
    String id = UUID.randomUUID().toString();
    if (e.source.input() != null) {
      String input = e.source.input()
          .replace("<aws.scheduler.scheduled-time>", due.toString())
          .replace("<aws.scheduler.execution-id>", id)
          .replace("<aws.scheduler.schedule-arn>", e.arn)
          .replace("<aws.scheduler.attempt-number>", "1");
      try {
        return Json.MAPPER.readValue(input, Object.class);
      } catch (Exception notJson) {
        return input;
      }
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "0");
    event.put("id", id);
    event.put("detail-type", "Scheduled Event");
    event.put("source", e.source.scheduler() ? "aws.scheduler" : "aws.events");
    event.put("account", stack.accountId());
    event.put("time", due.toString());
    event.put("region", stack.region());
    event.put("resources", List.of(e.arn));
    event.put("detail", Map.of());
    return event;
  }

  /** Completed checks so far; a caller that sees it grow by 2 knows a full check ran after it looked. */
  public long ticks() {
    return ticks.get();
  }

  public boolean isIdle() {
    return !firing.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
