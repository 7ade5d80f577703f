package dev.goalpost.review;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Router;
import dev.goalpost.workflows.Activation;
import dev.goalpost.workflows.BatchRepository;
import dev.goalpost.workflows.Reassignment;
import java.time.Clock;

/** Lambda entry point for conversation review and goal stats; see template.yaml (ReviewApiFunction). */
public final class ReviewApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public ReviewApiHandler() {
    this(new AwsClients(), Table.fromEnv(), ClockSource.runtimeClock());
    this.priming = dev.goalpost.platform.Priming.register(
        dev.goalpost.platform.http.PrimingEvents.through(router, "GET /goals/{goalId}/stats", java.util.Map.of("goalId", "goal_priming")));
  }

  private ReviewApiHandler(AwsClients aws, Table table, Clock clock) {
    var dynamo = aws.dynamo();
    var contacts = new ContactRepository(dynamo, table);
    var goals = new GoalRepository(dynamo, table);
    var reassignment = new Reassignment(dynamo, table, contacts, goals,
        new Activation(dynamo, table, contacts, goals, new BatchRepository(dynamo, table)));
    this.router = routes(new ReviewService(dynamo, table, reassignment, clock), new StatsService(dynamo, table, clock));
  }

  ReviewApiHandler(ReviewService review, StatsService stats) {
    this.router = routes(review, stats);
  }

  private static Router routes(ReviewService review, StatsService stats) {
    return new Router()
        .on("GET /groups/{groupId}/conversations", r -> ApiResponse.json(200, review.conversations(r.principal(),
            r.pathParam("groupId"), r.query("agentId"), r.query("filter").orElse("all"), r.query("q"), r.query("tag"),
            r.limit(50, 100), r.query("cursor"))))
        .on("GET /groups/{groupId}/inbox", r -> ApiResponse.json(200, review.inbox(r.principal(),
            r.pathParam("groupId"), r.limit(50, 100), r.query("cursor"))))
        .on("GET /conversations/{threadId}", r -> ApiResponse.json(200,
            review.conversation(r.principal(), r.pathParam("threadId"))))
        .on("POST /conversations/{threadId}/assign", r -> ApiResponse.json(200,
            review.assign(r.principal(), r.pathParam("threadId"), r.jsonBody())))
        .on("GET /goals/{goalId}/stats", r -> ApiResponse.json(200, stats.stats(r.principal(), r.pathParam("goalId"))));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
