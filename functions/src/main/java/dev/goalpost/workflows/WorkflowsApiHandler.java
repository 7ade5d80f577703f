package dev.goalpost.workflows;

import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.conversations.UnreadIndex;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Router;
import java.time.Clock;

/** Lambda entry point for claims and releases; see template.yaml (WorkflowsApiFunction). */
public final class WorkflowsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public WorkflowsApiHandler() {
    this(new AwsClients(), Table.fromEnv(), ClockSource.runtimeClock());
    this.priming = dev.goalpost.platform.Priming.register(
        dev.goalpost.platform.http.PrimingEvents.through(router, "POST /batches/{batchId}/release", java.util.Map.of("batchId", "goal_priming.I.00000-000")));
  }

  private WorkflowsApiHandler(AwsClients aws, Table table, Clock clock) {
    var dynamo = aws.dynamo();
    var goals = new GoalRepository(dynamo, table);
    var batches = new BatchRepository(dynamo, table);
    var groups = new GroupCache(new GroupRepository(dynamo, table), clock);
    var activation = new Activation(dynamo, table, new ContactRepository(dynamo, table), goals, batches);
    ClaimService claims = new ClaimService(new BatchReads(dynamo, table), batches, activation, groups,
        new ThreadRepository(dynamo, table), clock);
    UnreadClaims unread = new UnreadClaims(dynamo, table, new UnreadIndex(dynamo, table), groups, clock,
        new Ids());
    this.router = routes(claims, unread);
  }

  WorkflowsApiHandler(ClaimService claims, UnreadClaims unread) {
    this.router = routes(claims, unread);
  }

  private static Router routes(ClaimService claims, UnreadClaims unread) {
    return new Router()
        .on("POST /goals/{goalId}/workflows/{workflow}/claim", r -> {
          WorkflowKind wf = WorkflowKind.parse(r.pathParam("workflow"))
              .orElseThrow(() -> ApiException.notFound("Workflow " + r.pathParam("workflow")
                  + " (use initial, unread or reminders)"));
          String goalId = r.pathParam("goalId");
          return ApiResponse.json(200, wf == WorkflowKind.UNREAD
              ? unread.claim(r.principal(), goalId)
              : claims.claim(r.principal(), goalId, wf));
        })
        .on("POST /batches/{batchId}/release", r -> {
          String batchId = r.pathParam("batchId");
          Batch.Ref ref = Batch.parse(batchId);
          if (ref.workflow() == WorkflowKind.UNREAD) {
            unread.release(r.principal(), ref);
          } else {
            claims.release(r.principal(), batchId);
          }
          return ApiResponse.noContent();
        });
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
