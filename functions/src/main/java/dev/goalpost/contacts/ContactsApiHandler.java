package dev.goalpost.contacts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Router;

/** Lambda entry point for a group's contacts; see template.yaml (ContactsApiFunction). */
public final class ContactsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final Router router;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public ContactsApiHandler() {
    this(service(new AwsClients(), Table.fromEnv()));
    this.priming = dev.goalpost.platform.Priming.register(
        dev.goalpost.platform.http.PrimingEvents.through(router, "GET /groups/{groupId}/contacts/{contactId}", java.util.Map.of("groupId", "grp_priming", "contactId", "ct_priming")));
  }

  private static ContactService service(AwsClients aws, Table table) {
    var dynamo = aws.dynamo();
    var contacts = new ContactRepository(dynamo, table);
    var goals = new dev.goalpost.goals.GoalRepository(dynamo, table);
    var reassignment = new dev.goalpost.workflows.Reassignment(dynamo, table, contacts, goals,
        new dev.goalpost.workflows.Activation(dynamo, table, contacts, goals,
            new dev.goalpost.workflows.BatchRepository(dynamo, table)));
    var groups = new GroupRepository(dynamo, table);
    var list = new dev.goalpost.contacts.OptOuts(dynamo, table);
    var optOuts = new dev.goalpost.contacts.OrgOptOut(list, contacts, groups,
        new dev.goalpost.platform.events.DomainEvents(aws.events(), dev.goalpost.platform.Env.require("EVENT_BUS_NAME")));
    return new ContactService(contacts, groups, ClockSource.runtimeClock(), reassignment, optOuts, list);
  }

  ContactsApiHandler(ContactService service) {
    this.router = new Router()
        .on("POST /groups/{groupId}/contacts", r -> ApiResponse.json(200,
            service.upsert(r.principal(), r.pathParam("groupId"), r.jsonBody())))
        .on("GET /groups/{groupId}/contacts", r -> ApiResponse.json(200, service.list(r.principal(),
            r.pathParam("groupId"), r.query("tag"), r.query("assignedAgentId"), r.query("q"),
            r.limit(50, 100), r.query("cursor"))))
        .on("GET /groups/{groupId}/contacts/{contactId}", r -> ApiResponse.json(200,
            service.get(r.principal(), r.pathParam("groupId"), r.pathParam("contactId"))))
        .on("PATCH /groups/{groupId}/contacts/{contactId}", r -> ApiResponse.json(200,
            service.patch(r.principal(), r.pathParam("groupId"), r.pathParam("contactId"), r.jsonBody())));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return router.handle(event);
  }
}
