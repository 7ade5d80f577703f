package dev.goalpost.goals;

import dev.goalpost.platform.events.DomainEvent;
import dev.goalpost.platform.events.DomainEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * What the clock does, run every minute by the schedule (SPEC §9): for each goal whose next transition is due
 * (found through the due index, never a scan) it performs, once per triggering date, activation (the initial
 * batches are cut by the activation worker through SQS, so a 100,000-contact goal never runs one invocation
 * past its timeout), the opening of reminders (reminder batches from the Yes results) and completion, emits
 * GoalStatusChanged when the computed status changed at that date, and only then records the transition as
 * done. A crash before the record repeats the work (idempotent) and the event (at least once), never skips it.
 *
 * <p>Status itself never waits for this job: the API computes it from the dates. Unread claims expire by
 * themselves (their key range), so they need no transition.
 */
public final class TransitionService {
  private static final Logger LOG = Logger.getLogger(TransitionService.class.getName());
  static final int PER_SHARD = 50;

  /** Starts batch cutting for a goal's workflow elsewhere (the activation queue in AWS). */
  @FunctionalInterface
  public interface ActivationStarter {
    void start(String orgId, String goalId, String workflow);
  }

  private final GoalRepository goals;
  private final GoalTransitions transitions;
  private final ActivationStarter activations;
  private final DomainEvents events;
  private final Clock clock;

  public TransitionService(GoalRepository goals, GoalTransitions transitions, ActivationStarter activations,
                           DomainEvents events, Clock clock) {
    this.goals = goals;
    this.transitions = transitions;
    this.activations = activations;
    this.events = events;
    this.clock = clock;
  }

  /** One run of the schedule; answers how many transitions were performed. */
  public int runDue() {
    Instant now = clock.instant();
    int performed = 0;
    for (int shard = 0; shard < GoalTransitions.SHARDS; shard++) {
      for (GoalTransitions.Due due : transitions.due(shard, now, PER_SHARD)) {
        performed += process(due, now);
      }
    }
    return performed;
  }

  int process(GoalTransitions.Due seen, Instant now) {
    Optional<Goal> found = goals.get(seen.orgId(), seen.goalId());
    if (found.isEmpty()) {
      return 0;
    }
    Goal goal = found.get();
    GoalTransitions.Due due = transitions.get(goal.orgId(), goal.id()).orElse(seen);
    Set<String> markers = new LinkedHashSet<>();
    List<DomainEvent> emitted = new ArrayList<>();
    for (TransitionKind kind : TransitionKind.values()) {
      Optional<Instant> at = kind.dateOf(goal);
      if (at.isEmpty() || at.get().isAfter(now) || due.done().contains(kind.marker(at.get()))) {
        continue;
      }
      boolean stillOpen = now.isBefore(goal.workflowsCloseAt());
      switch (kind) {
        case ACTIVATE -> {
          if (stillOpen) {
            activations.start(goal.orgId(), goal.id(), "INITIAL");
          }
        }
        case REMINDERS_OPEN -> {
          if (stillOpen) {
            activations.start(goal.orgId(), goal.id(), "REMINDERS");
          }
        }
        case COMPLETE -> {
          // Claims of initial and reminder work are refused from this instant on by the computed status.
        }
      }
      statusChange(goal, at.get()).ifPresent(emitted::add);
      markers.add(kind.marker(at.get()));
    }
    if (markers.isEmpty()) {
      transitions.schedule(goal, now);
      return 0;
    }
    events.publish(emitted);
    if (!transitions.markDone(goal, due, markers, now)) {
      LOG.info("Transitions of " + goal.id() + " were recorded by a concurrent run");
    }
    return markers.size();
  }

  /** GoalStatusChanged for the status change the clock made at {@code at}, if the status did change. */
  static Optional<DomainEvent> statusChange(Goal goal, Instant at) {
    GoalStatus before = GoalSchedule.statusAt(goal, at.minusMillis(1));
    GoalStatus after = GoalSchedule.statusAt(goal, at);
    if (before == after) {
      return Optional.empty();
    }
    return Optional.of(statusEvent(goal, before, after, "CLOCK", at));
  }

  public static DomainEvent statusEvent(Goal goal, GoalStatus from, GoalStatus to, String cause, Instant at) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("goalId", goal.id());
    f.put("groupId", goal.groupId());
    f.put("from", from.name());
    f.put("to", to.name());
    f.put("cause", cause);
    return new DomainEvent(DomainEvent.Type.GoalStatusChanged, goal.orgId(), at, f);
  }
}
