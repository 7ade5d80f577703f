package dev.goalpost.workflows;

import dev.goalpost.conversations.ThreadRepository;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Router;
import java.time.Clock;

/** Lambda entry point for an agent's threads: open, send, lead actions; see template.yaml (ThreadsApiFunction). */
public final class ThreadsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public ThreadsApiHandler() {
    this(new AwsClients(), Table.fromEnv(), ClockSource.runtimeClock());
    this.priming = dev.goalpost.platform.Priming.register(
        dev.goalpost.platform.http.PrimingEvents.through(router, "GET /threads/{threadId}", java.util.Map.of("threadId", "th_priming_priming")));
  }

  private ThreadsApiHandler(AwsClients aws, Table table, Clock clock) {
    var dynamo = aws.dynamo();
    var groups = new GroupCache(new GroupRepository(dynamo, table), clock);
    MessageService messages = new MessageService(dynamo, table, new BatchRepository(dynamo, table), groups,
        new OutboundQueue(aws.sqs(), Env.require("OUTBOUND_QUEUE_URL")), clock, new Ids());
    var contacts = new ContactRepository(dynamo, table);
    var events = new dev.goalpost.platform.events.DomainEvents(aws.events(), Env.require("EVENT_BUS_NAME"));
    var optOuts = new dev.goalpost.contacts.OrgOptOut(new dev.goalpost.contacts.OptOuts(dynamo, table), contacts,
        new GroupRepository(dynamo, table), events);
    ThreadService threads = new ThreadService(dynamo, table, new ThreadRepository(dynamo, table),
        contacts, new GoalRepository(dynamo, table), events, optOuts, clock);
    this.router = routes(messages, threads);
  }

  ThreadsApiHandler(MessageService messages, ThreadService threads) {
    this.router = routes(messages, threads);
  }

  private static Router routes(MessageService messages, ThreadService threads) {
    return new Router()
        .on("GET /threads/{threadId}", r -> ApiResponse.json(200, threads.open(r.principal(), r.pathParam("threadId"))))
        .on("POST /threads/{threadId}/opt-out", r -> ApiResponse.json(200, threads.optOut(r.principal(), r.pathParam("threadId"))))
        .on("POST /threads/{threadId}/messages", r -> {
          var sent = messages.send(r.principal(), r.pathParam("threadId"), r.jsonBody(), r.header("idempotency-key"));
          return ApiResponse.json(sent.status(), sent.body());
        })
        .on("POST /threads/{threadId}/lead-action", r -> ApiResponse.json(200,
            threads.leadAction(r.principal(), r.pathParam("threadId"), r.jsonBody())))
        .on("GET /me/conversations", r -> ApiResponse.json(200, threads.conversations(r.principal(),
            r.query("filter").orElse("all"), r.limit(50, 100), r.query("cursor"))));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
