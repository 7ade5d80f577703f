package dev.goalpost.groups;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Router;
import java.util.Map;

/** Lambda entry point for the groups and members routes; see template.yaml (GroupsApiFunction). */
public final class GroupsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public GroupsApiHandler() {
    this(new GroupService(new GroupRepository(new AwsClients().dynamo(), Table.fromEnv()),
        ClockSource.runtimeClock(), new Ids(), ProviderAccounts.fromEnv()));
    this.priming = dev.goalpost.platform.Priming.register(
        dev.goalpost.platform.http.PrimingEvents.through(router, "GET /groups/{groupId}", java.util.Map.of("groupId", "grp_priming")));
  }

  GroupsApiHandler(GroupService service) {
    this.router = new Router()
        .on("POST /groups", r -> ApiResponse.json(201, service.create(r.principal(), r.jsonBody())))
        .on("GET /groups", r -> ApiResponse.json(200,
            service.list(r.principal(), r.limit(50, 100), r.query("cursor"))))
        .on("GET /groups/{groupId}", r -> ApiResponse.json(200, service.get(r.principal(), r.pathParam("groupId"))))
        .on("PATCH /groups/{groupId}", r -> ApiResponse.json(200,
            service.patch(r.principal(), r.pathParam("groupId"), r.jsonBody())))
        .on("GET /groups/{groupId}/members", r -> ApiResponse.json(200,
            service.listMembers(r.principal(), r.pathParam("groupId"), r.limit(100, 100), r.query("cursor"))))
        .on("PUT /groups/{groupId}/members/{userId}", r -> ApiResponse.json(200,
            service.putMember(r.principal(), r.pathParam("groupId"), r.pathParam("userId"), r.jsonBody())))
        .on("DELETE /groups/{groupId}/members/{userId}", r -> {
          service.deleteMember(r.principal(), r.pathParam("groupId"), r.pathParam("userId"));
          return ApiResponse.noContent();
        });
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
