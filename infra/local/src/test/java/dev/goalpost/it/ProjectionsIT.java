package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.goals.GoalResults;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.local.carrier.LocalOutbox;
import dev.goalpost.local.triggers.StreamPoller;
import dev.goalpost.platform.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;

/**
 * The table stream's projection through the real local stream (moto's DynamoDB Streams, the launcher's event
 * source mapping): goal stats, results and agents' conversation rows follow a send and a reply once
 * {@code settle} returns, and a stream batch delivered again counts nothing twice.
 */
@LocalCloudTest
class ProjectionsIT {
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");
  static final Duration DRAIN = Duration.ofSeconds(30);

  private final ApiClient api;
  private final LocalCloud cloud;

  ProjectionsIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  record World(String org, String admin, String group, String number, String goal, String script,
               Map<String, String> phones) {}

  private World world(int contacts) {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String g = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number))).json().path("id").asText();
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      rows.add(Map.of("phone", Fixtures.randomNumber(), "firstName", "P" + i, "lastName", "Q"));
    }
    Map<String, String> phones = new LinkedHashMap<>();
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).json().path("rows")
        .forEach(r -> phones.put(r.path("contactId").asText(), r.path("phone").asText()));
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", "ANYONE");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Rally soon. Reply STOP to opt out"))));
    JsonNode created = api.post("/groups/" + g + "/goals", admin, goal).json();
    api.post("/goals/" + created.path("id").asText() + "/launch", admin, null);
    api.freezeClock(ACTIVE);
    return new World(org, admin, g, number, created.path("id").asText(),
        created.path("scripts").path("initial").get(0).path("id").asText(), phones);
  }

  private String ari(World w) {
    return Fixtures.token(api, "ari", w.org(), List.of("agent"), List.of(w.group()));
  }

  /** ari claims a batch and texts its first {@code count} contacts; then contact 0 replies. Settled. */
  private List<JsonNode> sendAndReply(World w, int count) throws Exception {
    JsonNode batch = api.post("/goals/" + w.goal() + "/workflows/initial/claim", ari(w), null).json();
    List<JsonNode> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode c = batch.path("contacts").get(i);
      ApiClient.Reply r = api.post("/threads/" + c.path("threadId").asText() + "/messages", ari(w),
          Map.of("batchId", batch.path("batchId").asText(), "scriptId", w.script()));
      assertThat(r.status()).as(r.text()).isEqualTo(201);
      sent.add(c);
    }
    long t0 = System.nanoTime();
    cloud.settle(DRAIN);
    System.out.printf("ProjectionsIT: settle after %d sends took %d ms (stream: two hops, batching window %d ms)%n",
        count, (System.nanoTime() - t0) / 1_000_000,
        dev.goalpost.local.triggers.StreamPoller.effectiveWindow(1).toMillis());
    api.post("/_local/inbound", null, Map.of("from", w.phones().get(sent.get(0).path("contactId").asText()),
        "to", w.number(), "body", "Count me in"));
    cloud.settle(DRAIN);
    return sent;
  }

  private JsonNode stats(World w) {
    return api.get("/goals/" + w.goal() + "/stats", w.admin()).json();
  }

  @Test
  void aSendAndAReplyShowInStatsResultsAndConversationsOnceSettled() throws Exception {
    World w = world(5);
    List<JsonNode> sent = sendAndReply(w, 3);

    JsonNode stats = stats(w);
    assertThat(stats.path("contacts").path("messaged").asInt()).isEqualTo(3);
    assertThat(stats.path("replies").asInt()).isEqualTo(1);
    assertThat(stats.path("responders").asInt()).isEqualTo(1);
    assertThat(stats.path("segmentsSent").asInt()).isEqualTo(3);
    JsonNode agent = stats.path("perAgent").get(0);
    assertThat(agent.path("agentId").asText()).isEqualTo("ari");
    assertThat(agent.path("messaged").asInt()).isEqualTo(3);
    assertThat(agent.path("replies").asInt()).isEqualTo(1);

    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    var result = cloud.clients().dynamo().getItem(b -> b.tableName(table).consistentRead(true)
        .key(GoalResults.key(w.org(), w.goal(), sent.get(0).path("contactId").asText()))).item();
    assertThat(Table.bool(result, "messaged")).isTrue();
    assertThat(Table.bool(result, "responded")).isTrue();
    assertThat(Table.str(result, "firstMessagedAt")).isEqualTo(ACTIVE.toString());

    JsonNode conversations = api.get("/me/conversations", ari(w)).json().path("items");
    assertThat(conversations).hasSize(3);
    JsonNode top = conversations.get(0);
    assertThat(top.path("threadId").asText()).isEqualTo(sent.get(0).path("threadId").asText());
    assertThat(top.path("unread").asBoolean()).isTrue();
    assertThat(top.path("preview").asText()).isEqualTo("Count me in");
    assertThat(top.path("contactName").asText()).startsWith("P").endsWith("Q");
    assertThat(conversations.get(1).path("lastDirection").asText()).isEqualTo("OUTBOUND");
    assertThat(conversations.get(1).path("preview").asText()).startsWith("Hi P");
  }

  @Test
  void aStreamBatchDeliveredAgainCountsNothingTwiceAndTextsNobodyTwice() throws Exception {
    World w = world(4);
    List<JsonNode> sent = sendAndReply(w, 2);
    JsonNode before = stats(w);
    long textsBefore = LocalOutbox.shared().all().size();

    // Every stream record of this org so far, handed to the projection again as Lambda would redeliver them.
    var streams = cloud.clients().streams();
    String streamArn = cloud.resources().attribute("GoalpostTable", "StreamArn").orElseThrow();
    var shard = streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards().getFirst();
    String it = streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    List<Record> ours = new ArrayList<>();
    while (it != null) {
      String at = it;
      var res = streams.getRecords(b -> b.shardIterator(at).limit(1000));
      res.records().stream().filter(r -> r.dynamodb().keys().get("PK").s().contains(w.org())).forEach(ours::add);
      it = res.records().isEmpty() ? null : res.nextShardIterator();
    }
    assertThat(ours).isNotEmpty();
    var fn = cloud.functions().function("ProjectionsFunction").orElseThrow();
    for (int from = 0; from < ours.size(); from += 100) {
      Map<String, Object> event = new LinkedHashMap<>(StreamPoller.event(
          ours.subList(from, Math.min(ours.size(), from + 100)), streamArn, "us-east-1"));
      event.put("shardId", shard.shardId());
      event.put("state", Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> response = (Map<String, Object>) fn.invoke(event);
      assertThat((List<?>) response.get("batchItemFailures")).isEmpty();
    }
    cloud.settle(DRAIN);

    JsonNode after = stats(w);
    for (String field : List.of("replies", "responders", "segmentsSent", "yes", "no", "optedOut")) {
      assertThat(after.path(field).asInt()).as(field).isEqualTo(before.path(field).asInt());
    }
    assertThat(after.path("contacts").path("messaged").asInt()).isEqualTo(2);
    assertThat(after.path("perAgent").get(0).path("messaged").asInt()).isEqualTo(2);
    assertThat(LocalOutbox.shared().all().size()).as("no text leaves twice").isEqualTo(textsBefore);
    assertThat(sent).hasSize(2);
  }
}
