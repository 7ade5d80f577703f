package dev.goalpost.goals;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Router;

/** Lambda entry point for the admin goal routes; see template.yaml (GoalsApiFunction). */
public final class GoalsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public GoalsApiHandler() {
    this(service(new AwsClients(), Table.fromEnv()));
    this.priming = dev.goalpost.platform.Priming.register(
        dev.goalpost.platform.http.PrimingEvents.through(router, "GET /goals/{goalId}", java.util.Map.of("goalId", "goal_priming")));
  }

  private static GoalService service(AwsClients aws, Table table) {
    return new GoalService(new GoalRepository(aws.dynamo(), table), new GroupRepository(aws.dynamo(), table),
        new ContactRepository(aws.dynamo(), table), new GoalTransitions(aws.dynamo(), table),
        new dev.goalpost.platform.events.DomainEvents(aws.events(), dev.goalpost.platform.Env.require("EVENT_BUS_NAME")),
        ClockSource.runtimeClock(), new Ids());
  }

  GoalsApiHandler(GoalService goals) {
    this.router = new Router()
        .on("POST /groups/{groupId}/goals", r -> ApiResponse.json(201,
            goals.create(r.principal(), r.pathParam("groupId"), r.jsonBody())))
        .on("GET /groups/{groupId}/goals", r -> ApiResponse.json(200, goals.list(r.principal(),
            r.pathParam("groupId"), r.query("status"), r.limit(50, 100), r.query("cursor"))))
        .on("GET /goals/{goalId}", r -> ApiResponse.json(200, goals.get(r.principal(), r.pathParam("goalId"))))
        .on("PATCH /goals/{goalId}", r -> ApiResponse.json(200,
            goals.patch(r.principal(), r.pathParam("goalId"), r.jsonBody())))
        .on("DELETE /goals/{goalId}", r -> {
          goals.delete(r.principal(), r.pathParam("goalId"));
          return ApiResponse.noContent();
        })
        .on("POST /goals/{goalId}/launch", r -> ApiResponse.json(200, goals.launch(r.principal(), r.pathParam("goalId"))))
        .on("POST /goals/{goalId}/pause", r -> ApiResponse.json(200, goals.pause(r.principal(), r.pathParam("goalId"))))
        .on("POST /goals/{goalId}/resume", r -> ApiResponse.json(200, goals.resume(r.principal(), r.pathParam("goalId"))))
        .on("POST /goals/{goalId}/duplicate", r -> ApiResponse.json(201,
            goals.duplicate(r.principal(), r.pathParam("goalId"), r.jsonBody())))
        .on("GET /goals/{goalId}/targeting/estimate", r -> ApiResponse.json(200,
            goals.estimate(r.principal(), r.pathParam("goalId"))));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
