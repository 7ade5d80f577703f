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

/** The every-minute schedule's target; see template.yaml (TransitionsFunction). */
public final class TransitionsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final TransitionService transitions;

  public TransitionsHandler() {
    AwsClients aws = new AwsClients();
    Table table = Table.fromEnv();
    String queue = Env.require("ACTIVATION_QUEUE_URL");
    var sqs = aws.sqs();
    this.transitions = new TransitionService(new GoalRepository(aws.dynamo(), table),
        new GoalTransitions(aws.dynamo(), table),
        (org, goal, workflow) -> sqs.sendMessage(SendMessageRequest.builder().queueUrl(queue)
            .messageBody(Json.write(Map.of("orgId", org, "goalId", goal, "workflow", workflow))).build()),
        new DomainEvents(aws.events(), Env.require("EVENT_BUS_NAME")), ClockSource.runtimeClock());
  }

  TransitionsHandler(TransitionService transitions) {
    this.transitions = transitions;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> scheduled, Context context) {
    return Map.of("transitions", transitions.runDue());
  }
}
