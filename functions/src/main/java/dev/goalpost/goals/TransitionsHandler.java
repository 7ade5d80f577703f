package dev.goalpost.goals;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.messaging.Outbox;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.events.DomainEvents;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The every-minute schedule's target; see template.yaml (TransitionsFunction). Each run performs the due goal
 * transitions and sweeps the outbox ({@link Outbox#sweep}: texts stored but not yet queued). One failing does
 * not skip the other; the run then fails so the schedule's retry and the errors alarm see it.
 */
public final class TransitionsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;
  private final TransitionService transitions;
  private final Outbox outbox;
  private final java.time.Clock clock;

  public TransitionsHandler() {
    AwsClients aws = new AwsClients();
    Table table = Table.fromEnv();
    String queue = Env.require("ACTIVATION_QUEUE_URL");
    var sqs = aws.sqs();
    GoalTransitions due = new GoalTransitions(aws.dynamo(), table);
    this.transitions = new TransitionService(new GoalRepository(aws.dynamo(), table), due,
        (org, goal, workflow) -> sqs.sendMessage(SendMessageRequest.builder().queueUrl(queue)
            .messageBody(Json.write(Map.of("orgId", org, "goalId", goal, "workflow", workflow))).build()),
        new DomainEvents(aws.events(), Env.require("EVENT_BUS_NAME")), ClockSource.runtimeClock());
    this.outbox = new Outbox(aws.dynamo(), table, new OutboundQueue(sqs, Env.require("OUTBOUND_QUEUE_URL")));
    this.clock = ClockSource.runtimeClock();
    // Priming reads the due index as of the epoch (nothing is due then): the real read path, no side effect.
    this.priming = dev.goalpost.platform.Priming.register(() -> due.due(0, java.time.Instant.EPOCH, 1));
  }

  TransitionsHandler(TransitionService transitions, Outbox outbox, java.time.Clock clock) {
    this.transitions = transitions;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduled, Context context) {
    RuntimeException failure = null;
    int performed = 0;
    int swept = 0;
    try {
      performed = transitions.runDue();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      swept = outbox.sweep(clock.instant());
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return Map.of("transitions", performed, "outboxQueued", swept);
  }
}
