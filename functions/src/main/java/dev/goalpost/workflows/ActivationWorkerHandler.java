package dev.goalpost.workflows;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.SqsBatch;
import dev.goalpost.platform.Table;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Cuts a goal's contacts into batches in chunks (SQS trigger of the activation queue). Each message advances
 * the activation by up to {@value #PAGES_PER_MESSAGE} pages (~{@value #PAGES_PER_MESSAGE}k contacts), then,
 * if contacts remain, puts a message to continue — so no invocation nears its timeout, however big the goal.
 * The activation state is stored with each page, so a crash or a duplicate message resumes exactly where the
 * stored state says: no batch is cut twice, no contact is skipped.
 */
public final class ActivationWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  static final int PAGES_PER_MESSAGE = 20;

  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  private final GoalRepository goals;
  private final Activation activation;
  private final Consumer<String> requeue;

  public ActivationWorkerHandler() {
    AwsClients aws = new AwsClients();
    Table table = Table.fromEnv();
    var dynamo = aws.dynamo();
    this.goals = new GoalRepository(dynamo, table);
    this.activation = new Activation(dynamo, table, new ContactRepository(dynamo, table), goals,
        new BatchRepository(dynamo, table));
    String queue = Env.require("ACTIVATION_QUEUE_URL");
    var sqs = aws.sqs();
    this.requeue = body -> sqs.sendMessage(SendMessageRequest.builder().queueUrl(queue).messageBody(body).build());
    // Priming handles a message for a goal that does not exist: the real read path, no side effect.
    this.priming = dev.goalpost.platform.Priming.register(() -> handleRequest(primingEvent(), null));
  }

  private static SQSEvent primingEvent() {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId("priming");
    m.setBody(Json.write(Map.of("orgId", dev.goalpost.platform.http.PrimingEvents.ORG, "goalId", "goal_priming",
        "workflow", WorkflowKind.INITIAL.name())));
    SQSEvent event = new SQSEvent();
    event.setRecords(java.util.List.of(m));
    return event;
  }

  ActivationWorkerHandler(GoalRepository goals, Activation activation, Consumer<String> requeue) {
    this.goals = goals;
    this.activation = activation;
    this.requeue = requeue;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return SqsBatch.run(event, m -> {
      JsonNode body = Json.read(m.getBody());
      String org = body.path("orgId").asText();
      WorkflowKind wf = WorkflowKind.valueOf(body.path("workflow").asText());
      Optional<Goal> goal = goals.get(org, body.path("goalId").asText());
      if (goal.isEmpty()) {
        return true;
      }
      Activation.State state = activation.state(org, goal.get().id(), wf);
      for (int page = 0; page < PAGES_PER_MESSAGE && !state.finished(); page++) {
        state = activation.advance(goal.get(), wf, state);
      }
      if (!state.finished()) {
        requeue.accept(Json.write(Map.of("orgId", org, "goalId", goal.get().id(), "workflow", wf.name())));
      }
      return true;
    });
  }
}
