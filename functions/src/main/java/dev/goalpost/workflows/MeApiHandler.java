package dev.goalpost.workflows;

import dev.goalpost.conversations.UnreadIndex;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Router;
import java.time.Clock;

/** Lambda entry point for an agent's home: workflows and own scripts; see template.yaml (MeApiFunction). */
public final class MeApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public MeApiHandler() {
    this(new AwsClients(), Table.fromEnv(), ClockSource.runtimeClock());
    this.priming = dev.goalpost.platform.Priming.register(
        dev.goalpost.platform.http.PrimingEvents.through(router, "GET /me/scripts", java.util.Map.of()));
  }

  private MeApiHandler(AwsClients aws, Table table, Clock clock) {
    var dynamo = aws.dynamo();
    this.router = routes(new MeService(new GoalRepository(dynamo, table), new BatchRepository(dynamo, table),
        new UnreadIndex(dynamo, table), new GroupCache(new GroupRepository(dynamo, table), clock),
        new AgentScripts(dynamo, table), new dev.goalpost.counters.DailySegments(dynamo, table), clock, new Ids()));
  }

  MeApiHandler(MeService me) {
    this.router = routes(me);
  }

  private static Router routes(MeService me) {
    return new Router()
        .on("GET /me/workflows", r -> ApiResponse.json(200, me.workflows(r.principal())))
        .on("GET /me/scripts", r -> ApiResponse.json(200, me.listScripts(r.principal())))
        .on("POST /me/scripts", r -> ApiResponse.json(201, me.createScript(r.principal(), r.jsonBody())));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
