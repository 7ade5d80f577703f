package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Conversation review, reassignment and goal stats, over HTTP, with replies through the local carrier. */
@LocalCloudTest
class ReviewIT {
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");
  static final Duration DRAIN = Duration.ofSeconds(30);

  private final ApiClient api;
  private final LocalCloud cloud;

  ReviewIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  record World(String org, String admin, String group, String number, String goal, String script,
               Map<String, String> phones) {
    String agent(ApiClient api, String id) {
      return Fixtures.token(api, id, org, List.of("agent"), List.of(group));
    }
  }

  private World world(String strategy, int contacts) {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String g = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number))).json().path("id").asText();
    for (String a : List.of("ari", "bea")) {
      api.put("/groups/" + g + "/members/" + a, admin, Map.of("role", "agent"));
    }
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("phone", Fixtures.randomNumber());
      c.put("firstName", i == 0 ? "Rosa" : "P" + i);
      c.put("lastName", i == 0 ? "Parks" : "Q");
      c.put("tags", i % 2 == 0 ? List.of("volunteer") : List.of("donor"));
      c.put("assignedAgentId", "ari");
      rows.add(c);
    }
    Map<String, String> phones = new LinkedHashMap<>();
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).json().path("rows")
        .forEach(r -> phones.put(r.path("contactId").asText(), r.path("phone").asText()));
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", strategy);
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Reply STOP to opt out"))));
    JsonNode created = api.post("/groups/" + g + "/goals", admin, goal).json();
    api.post("/goals/" + created.path("id").asText() + "/launch", admin, null);
    api.freezeClock(ACTIVE);
    return new World(org, admin, g, number, created.path("id").asText(),
        created.path("scripts").path("initial").get(0).path("id").asText(), phones);
  }

  private ApiClient.Reply send(String token, JsonNode batch, JsonNode contact, World w) {
    return api.post("/threads/" + contact.path("threadId").asText() + "/messages", token,
        Map.of("batchId", batch.path("batchId").asText(), "scriptId", w.script()));
  }

  /** The agent claims a batch and texts its first {@code count} contacts; answers the contacts texted. */
  private List<JsonNode> claimAndSend(String token, World w, int count) {
    JsonNode batch = api.post("/goals/" + w.goal() + "/workflows/initial/claim", token, null).json();
    List<JsonNode> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonNode c = batch.path("contacts").get(i);
      assertThat(send(token, batch, c, w).status()).isEqualTo(201);
      sent.add(c);
    }
    return sent;
  }

  @Test
  void reviewListsAnAgentsConversationsFlagsUnreadAndReadingMarksNothing() throws Exception {
    World w = world("ANYONE", 4);
    String ari = w.agent(api, "ari");
    List<JsonNode> sent = claimAndSend(ari, w, 3);
    cloud.drainTriggers(DRAIN);
    JsonNode replier = sent.get(0);
    api.post("/_local/inbound", null, Map.of("from", w.phones().get(replier.path("contactId").asText()),
        "to", w.number(), "body", "Count me in"));
    cloud.drainTriggers(DRAIN);

    String base = "/groups/" + w.group() + "/conversations?agentId=ari";
    JsonNode all = api.get(base, w.admin()).json();
    assertThat(all.path("items")).hasSize(3);
    JsonNode unresponded = api.get(base + "&filter=unresponded", w.admin()).json();
    assertThat(unresponded.path("items")).hasSize(1);
    assertThat(unresponded.path("items").get(0).path("threadId").asText()).isEqualTo(replier.path("threadId").asText());
    assertThat(unresponded.path("items").get(0).path("unread").asBoolean()).isTrue();

    JsonNode read = api.get("/conversations/" + replier.path("threadId").asText(), w.admin()).json();
    assertThat(read.path("messages")).hasSize(2);
    assertThat(read.path("agents").get(0).asText()).isEqualTo("ari");
    assertThat(api.get(base + "&filter=unresponded", w.admin()).json().path("items").get(0).path("unread").asBoolean())
        .as("reading in review never marks read").isTrue();
    assertThat(api.post("/threads/" + replier.path("threadId").asText() + "/messages", w.admin(),
        Map.of("body", "hello from review")).status()).as("admins cannot message from review").isEqualTo(403);

    String rosaThread = sent.stream().filter(c -> "Rosa".equals(c.path("firstName").asText())).findFirst()
        .map(c -> c.path("threadId").asText()).orElse(null);
    JsonNode rosa = api.get(base + "&q=rosa%20par", w.admin()).json();
    if (rosaThread != null) {
      assertThat(rosa.path("items").findValuesAsText("threadId")).containsExactly(rosaThread);
    } else {
      assertThat(rosa.path("items")).isEmpty();
    }
    for (JsonNode item : api.get(base + "&tag=volunteer", w.admin()).json().path("items")) {
      assertThat(item.path("contact").path("tags").toString()).contains("volunteer");
    }
    assertThat(api.get("/groups/" + w.group() + "/conversations", w.admin()).json().path("errors").get(0)
        .path("field").asText()).isEqualTo("agentId");
    assertThat(api.get(base, ari).status()).isEqualTo(403);
  }

  @Test
  void reassigningAContactMovesItsUnsentWorkToTheNewAgentAtOnce() {
    World w = world("ASSIGNED", 5);
    String ari = w.agent(api, "ari");
    String bea = w.agent(api, "bea");
    JsonNode batch = api.post("/goals/" + w.goal() + "/workflows/initial/claim", ari, null).json();
    assertThat(batch.path("contacts")).hasSize(5);
    assertThat(api.post("/goals/" + w.goal() + "/workflows/initial/claim", bea, null).status()).isEqualTo(409);
    JsonNode moved = batch.path("contacts").get(0);

    JsonNode contact = api.post("/conversations/" + moved.path("threadId").asText() + "/assign", w.admin(),
        Map.of("agentId", "bea")).json();
    assertThat(contact.path("assignedAgentId").asText()).isEqualTo("bea");

    ApiClient.Reply stale = send(ari, batch, moved, w);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().path("type").asText()).endsWith("/contact-reassigned");
    JsonNode beas = api.post("/goals/" + w.goal() + "/workflows/initial/claim", bea, null).json();
    assertThat(beas.path("contacts").findValuesAsText("contactId")).containsExactly(moved.path("contactId").asText());
    assertThat(send(bea, beas, beas.path("contacts").get(0), w).status()).isEqualTo(201);
    assertThat(send(ari, batch, batch.path("contacts").get(1), w).status()).isEqualTo(201);
    Map<String, Object> unassign = new LinkedHashMap<>();
    unassign.put("agentId", null);
    assertThat(api.post("/conversations/" + batch.path("contacts").get(2).path("threadId").asText() + "/assign",
        w.admin(), unassign).json().path("assignedAgentId").isNull()).isTrue();
    assertThat(api.post("/conversations/" + moved.path("threadId").asText() + "/assign", w.admin(),
        Map.of("agentId", "ghost")).status()).isEqualTo(422);
  }

  @Test
  void statsFollowEverySendReplyLeadActionAndOptOut() throws Exception {
    World w = world("ANYONE", 150);
    String ari = w.agent(api, "ari");
    JsonNode batch = api.post("/goals/" + w.goal() + "/workflows/initial/claim", ari, null).json();
    List<JsonNode> contacts = new ArrayList<>();
    batch.path("contacts").forEach(contacts::add);
    for (int i = 0; i < 4; i++) {
      assertThat(send(ari, batch, contacts.get(i), w).status()).isEqualTo(201);
    }
    cloud.drainTriggers(DRAIN);
    String p0 = w.phones().get(contacts.get(0).path("contactId").asText());
    api.post("/_local/inbound", null, Map.of("from", p0, "to", w.number(), "body", "Yes!"));
    api.post("/_local/inbound", null, Map.of("from", p0, "to", w.number(), "body", "See you"));
    api.post("/_local/inbound", null, Map.of("from", w.phones().get(contacts.get(1).path("contactId").asText()),
        "to", w.number(), "body", "STOP"));
    cloud.drainTriggers(DRAIN);
    api.freezeClock(ACTIVE.plus(Duration.ofMinutes(1)));
    api.post("/threads/" + contacts.get(0).path("threadId").asText() + "/lead-action", ari,
        Map.of("goalId", w.goal(), "action", "NO"));
    api.post("/threads/" + contacts.get(0).path("threadId").asText() + "/lead-action", ari,
        Map.of("goalId", w.goal(), "action", "YES"));

    cloud.drainTriggers(DRAIN); // the counters follow through the table stream
    JsonNode stats = api.get("/goals/" + w.goal() + "/stats", w.admin()).json();

    assertThat(stats.path("targeted").asInt()).isEqualTo(150);
    assertThat(stats.path("batches").path("total").asInt()).isEqualTo(2);
    assertThat(stats.path("batches").path("claimed").asInt()).isEqualTo(1);
    assertThat(stats.path("batches").path("available").asInt()).isEqualTo(1);
    assertThat(stats.path("contacts").path("messaged").asInt()).isEqualTo(4);
    assertThat(stats.path("contacts").path("remaining").asInt()).isEqualTo(146);
    assertThat(stats.path("replies").asInt()).isEqualTo(3);
    assertThat(stats.path("responseRate").asDouble()).isEqualTo(0.5);
    assertThat(stats.path("yes").asInt()).isEqualTo(1);
    assertThat(stats.path("no").asInt()).isEqualTo(0);
    assertThat(stats.path("optedOut").asInt()).isEqualTo(1);
    assertThat(stats.path("segmentsSent").asInt()).isEqualTo(4);
    JsonNode agent = stats.path("perAgent").get(0);
    assertThat(agent.path("agentId").asText()).isEqualTo("ari");
    assertThat(agent.path("messaged").asInt()).isEqualTo(4);
    assertThat(agent.path("yes").asInt()).isEqualTo(1);
    assertThat(api.get("/goals/" + w.goal() + "/stats", ari).status()).isEqualTo(403);
  }

  @Test
  void leadActionsRacingOnOneContactCountItOnceAsItsFinalAnswer() throws Exception {
    World w = world("ANYONE", 100);
    String ari = w.agent(api, "ari");
    List<JsonNode> sent = claimAndSend(ari, w, 2);
    List<String> threads = sent.stream().map(c -> c.path("threadId").asText()).toList();
    List<java.util.concurrent.Future<ApiClient.Reply>> taps = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 12; i++) {
        String thread = threads.get(i % 2);
        String action = (i / 2) % 2 == 0 ? "YES" : "NO";
        taps.add(pool.submit(() -> api.post("/threads/" + thread + "/lead-action", ari,
            Map.of("goalId", w.goal(), "action", action))));
      }
    }
    for (var tap : taps) {
      assertThat(tap.get().status()).as(tap.get().text()).isEqualTo(200);
    }

    cloud.drainTriggers(DRAIN); // the counters follow through the table stream
    JsonNode stats = api.get("/goals/" + w.goal() + "/stats", w.admin()).json();

    assertThat(stats.path("yes").asInt() + stats.path("no").asInt()).as("each contact counted once").isEqualTo(2);
    JsonNode agent = stats.path("perAgent").get(0);
    assertThat(agent.path("yes").asInt() + agent.path("no").asInt()).isEqualTo(2);
    assertThat(agent.path("yes").asInt()).isEqualTo(stats.path("yes").asInt());
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    int finalYes = 0;
    for (int i = 0; i < 2; i++) {
      var key = dev.goalpost.platform.Table.key(dev.goalpost.goals.GoalRepository.goalPartition(w.org(), w.goal()),
          "RESULT#" + sent.get(i).path("contactId").asText());
      var result = cloud.clients().dynamo().getItem(b -> b.tableName(table).consistentRead(true).key(key)).item();
      finalYes += result.get("yes").bool() ? 1 : 0;
    }
    assertThat(stats.path("yes").asInt()).as("the counters agree with the stored answers").isEqualTo(finalYes);
  }

  @Test
  void anAnswerChangedByAnotherAgentMovesFromTheFirstAgentsCountsToTheSecondsOnly() throws Exception {
    World w = world("ANYONE", 10);
    String ari = w.agent(api, "ari");
    String bea = w.agent(api, "bea");
    String thread = claimAndSend(ari, w, 1).get(0).path("threadId").asText();
    assertThat(api.post("/threads/" + thread + "/lead-action", ari, Map.of("goalId", w.goal(), "action", "YES"))
        .status()).isEqualTo(200);
    api.freezeClock(ACTIVE.plus(Duration.ofHours(3))); // ari's hold on the thread has ended

    ApiClient.Reply changed = api.post("/threads/" + thread + "/lead-action", bea,
        Map.of("goalId", w.goal(), "action", "NO"));

    assertThat(changed.status()).as(changed.text()).isEqualTo(200);
    cloud.drainTriggers(DRAIN); // the counters follow through the table stream
    JsonNode stats = api.get("/goals/" + w.goal() + "/stats", w.admin()).json();
    assertThat(stats.path("yes").asInt()).isZero();
    assertThat(stats.path("no").asInt()).isEqualTo(1);
    Map<String, JsonNode> perAgent = new LinkedHashMap<>();
    stats.path("perAgent").forEach(a -> perAgent.put(a.path("agentId").asText(), a));
    assertThat(perAgent.get("ari").path("yes").asInt()).isZero();
    assertThat(perAgent.get("ari").path("no").asInt()).isZero();
    assertThat(perAgent.get("bea").path("no").asInt()).isEqualTo(1);
    assertThat(perAgent.get("bea").path("yes").asInt()).isZero();
  }
}
