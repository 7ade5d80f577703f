package dev.goalpost.goals;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.events.DomainEvents;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The every-minute schedule's target; see template.yaml (TransitionsFunction): performs the due goal
 * transitions. (Texts stored but not queued need no sweep: the table stream's projection queues every stored
 * QUEUED text, {@code projections/Projection}.) A failure fails the run, so the schedule's retry and the errors
 * alarm see it.
 */
public final class TransitionsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;
  private final TransitionService transitions;

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
    // Priming reads the due index as of the epoch (nothing is due then): the real read path, no side effect.
    this.priming = dev.goalpost.platform.Priming.register(() -> due.due(0, java.time.Instant.EPOCH, 1));
  }

  TransitionsHandler(TransitionService transitions) {
    this.transitions = transitions;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduled, Context context) {
    return Map.of("transitions", transitions.runDue());
  }
}
