package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.Table;
import dev.goalpost.workflows.Activation;
import dev.goalpost.workflows.Batch;
import dev.goalpost.workflows.BatchRepository;
import dev.goalpost.workflows.WorkflowKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The clock moves a goal through its life: the every-minute schedule (fired by the local clock) activates it,
 * opens reminders and completes it, each exactly once, and every change reaches the event bus once.
 */
@LocalCloudTest
class TransitionsIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  private final ApiClient api;
  private final LocalCloud cloud;

  TransitionsIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  static final int CONTACTS = 250;
  static final int PAGE_SIZE = 100;

  private void moveTo(Instant at) throws Exception {
    api.freezeClock(at);
    cloud.awaitScheduleCheck(WAIT);
    cloud.drainTriggers(WAIT);
  }

  /**
   * Every domain event of {@code org} that reached the example subscriber queue, in arrival order. This test
   * is the queue's only reader; the other ITs' events are drained and dropped (putting them back would make
   * this loop receive them again for ever).
   */
  private List<JsonNode> eventsOf(String org) throws Exception {
    String url = cloud.resources().ref("DomainEventsQueue").orElseThrow();
    var sqs = cloud.clients().sqs();
    List<JsonNode> mine = new ArrayList<>();
    while (true) {
      var got = sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(url).maxNumberOfMessages(10)
          .waitTimeSeconds(1).build()).messages();
      if (got.isEmpty()) {
        return mine;
      }
      List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
      for (var m : got) {
        JsonNode e = Json.read(m.body());
        done.add(DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build());
        if (org.equals(e.path("detail").path("orgId").asText())) {
          mine.add(e);
        }
      }
      sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(done));
    }
  }

  private static List<String> statusChanges(List<JsonNode> events) {
    return events.stream().filter(e -> e.path("detail-type").asText().equals("GoalStatusChanged"))
        .map(e -> e.path("detail").path("from").asText() + ">" + e.path("detail").path("to").asText() + ":"
            + e.path("detail").path("cause").asText())
        .toList();
  }

  @Test
  void theClockTakesAGoalThroughItsLifeAndEachSideEffectHappensOnce() throws Exception {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      rows.add(Map.of("phone", "+1512555" + String.format("%04d", 3000 + i), "firstName", "P" + i));
    }
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "EVENT");
    body.put("name", "Rally");
    body.put("eventStartAt", "2026-12-20T18:00");
    body.put("workflowsAvailableAt", "2026-12-02T09:00");
    body.put("workflowsCloseAt", "2026-12-18T18:00");
    body.put("remindersEnabled", true);
    body.put("remindersAvailableAt", "2026-12-15T09:00");
    body.put("remindersCloseAt", "2026-12-18T18:00");
    body.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Reply STOP to opt out")),
        "reminder", List.of(Map.of("body", "Tomorrow! Reply STOP to opt out"))));
    JsonNode created = api.post("/groups/" + g + "/goals", admin, body).json();
    String goal = created.path("id").asText();
    assertThat(api.post("/goals/" + goal + "/launch", admin, null).json().path("status").asText()).isEqualTo("SCHEDULED");
    String ari = Fixtures.token(api, "ari", org, List.of("agent"), List.of(g));

    moveTo(Instant.parse("2026-12-02T15:00:30Z")); // 09:00:30 in Chicago
    JsonNode flows = api.get("/me/workflows", ari).json().path("goals").get(0).path("workflows");
    assertThat(flows.path("initial").path("waiting").asInt()).as("batches cut by the transition, before any claim")
        .isEqualTo(3);

    JsonNode batch = api.post("/goals/" + goal + "/workflows/initial/claim", ari, null).json();
    String script = created.path("scripts").path("initial").get(0).path("id").asText();
    for (int i = 0; i < 2; i++) {
      JsonNode c = batch.path("contacts").get(i);
      api.post("/threads/" + c.path("threadId").asText() + "/messages", ari,
          Map.of("batchId", batch.path("batchId").asText(), "scriptId", script));
      assertThat(api.post("/threads/" + c.path("threadId").asText() + "/lead-action", ari,
          Map.of("goalId", goal, "action", "YES")).status()).isEqualTo(200);
    }

    moveTo(Instant.parse("2026-12-15T15:00:30Z"));
    assertThat(api.get("/me/workflows", ari).json().path("goals").get(0).path("workflows").path("reminders")
        .path("waiting").asInt()).isEqualTo(1);

    moveTo(Instant.parse("2026-12-19T00:00:30Z"));
    assertThat(api.get("/goals/" + goal, admin).json().path("status").asText()).isEqualTo("COMPLETED");
    assertThat(api.patch("/goals/" + goal, admin, Map.of("workflowsCloseAt", "2026-12-19T20:00")).json()
        .path("status").asText()).isEqualTo("ACTIVE");
    moveTo(Instant.parse("2026-12-20T02:00:30Z"));
    moveTo(Instant.parse("2026-12-20T03:00:30Z")); // a later tick has nothing left to do

    List<JsonNode> events = eventsOf(org);
    assertThat(statusChanges(events)).containsExactly("DRAFT>SCHEDULED:LAUNCH", "SCHEDULED>ACTIVE:CLOCK",
        "ACTIVE>COMPLETED:CLOCK", "COMPLETED>ACTIVE:EDIT", "ACTIVE>COMPLETED:CLOCK");
    assertThat(events.stream().filter(e -> e.path("detail-type").asText().equals("LeadActionRecorded"))).hasSize(2);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.path("source").asText()).isEqualTo("goalpost");
      assertThat(e.path("detail").path("schemaVersion").asText()).isEqualTo("1");
    });
  }

  @Test
  void anActivationStoppedMidwayResumesWithoutDuplicateOrMissingBatches() throws Exception {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    // 250 contacts in pages of 100 (production pages are 1,000): three pages, the last one part-filled.
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < CONTACTS; from += 1000) {
      List<Object> rows = new ArrayList<>();
      for (int i = from; i < Math.min(CONTACTS, from + 1000); i++) {
        rows.add(Map.of("phone", "+1512556" + String.format("%04d", i)));
      }
      api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).json().path("rows")
          .forEach(r -> ids.add(r.path("contactId").asText()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "CUSTOM");
    body.put("name", "Big");
    body.put("workflowsAvailableAt", "2026-12-20T09:00");
    body.put("workflowsCloseAt", "2026-12-24T09:00");
    String goalId = api.post("/groups/" + g + "/goals", admin, body).json().path("id").asText();
    api.post("/goals/" + goalId + "/launch", admin, null);

    Table table = new Table(cloud.resources().ref("GoalpostTable").orElseThrow());
    var dynamo = cloud.clients().dynamo();
    GoalRepository goals = new GoalRepository(dynamo, table);
    BatchRepository batches = new BatchRepository(dynamo, table);
    Activation activation = new Activation(dynamo, table, new ContactRepository(dynamo, table), goals, batches,
        PAGE_SIZE);
    Goal goal = goals.get(org, goalId).orElseThrow();

    Activation.State afterOnePage = activation.advance(goal, WorkflowKind.INITIAL, Activation.State.initial());
    assertThat(afterOnePage.done()).isFalse();
    // "Crash": a second worker starts from the state it read before the first page was stored.
    Activation.State raced = activation.advance(goal, WorkflowKind.INITIAL, Activation.State.initial());
    assertThat(raced.page()).isEqualTo(afterOnePage.page());
    Activation.State done = activation.complete(goal, WorkflowKind.INITIAL);

    assertThat(done.done()).isTrue();
    assertThat(done.contacts()).isEqualTo(CONTACTS);
    assertThat(done.page()).as("pages stored").isEqualTo(3);
    Map<String, Integer> seen = new HashMap<>();
    // Every page (the suite's small-page mode returns a few items per Query).
    var items = dynamo.queryPaginator(b -> b.tableName(table.name())
        .keyConditionExpression("PK = :pk AND begins_with(SK, :b)")
        .expressionAttributeValues(Map.of(":pk", Table.s(GoalRepository.goalPartition(org, goalId)),
            ":b", Table.s("BATCH#")))).items();
    for (var item : items) {
      Batch b = BatchRepository.fromItem(item);
      assertThat(b.contacts().size()).isLessThanOrEqualTo(100);
      b.contacts().forEach(e -> seen.merge(e.contactId(), 1, Integer::sum));
    }
    assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(seen.values()).allMatch(n -> n == 1);
  }
}
