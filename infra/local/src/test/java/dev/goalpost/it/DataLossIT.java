package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.messaging.inbound.InboundService;
import dev.goalpost.messaging.inbound.InboundSms;
import dev.goalpost.platform.CrashPoints;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.events.DomainEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost, nothing doubled (issue 13, items 1, 3, 5-9): crashes between the steps of a reply or a send,
 * redeliveries, a failing queue, transactions that would outgrow DynamoDB's 100 items, replies nobody's list
 * shows, the 10DLC cap on free text, a held contact texted by another agent, reassignment of an unassigned
 * contact. Services run in this JVM against the same emulator (with a crash seam or a failing queue) next to
 * the hosted functions, which then carry on as they would in AWS.
 */
@LocalCloudTest
class DataLossIT {
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z"); // 10:00 in Chicago
  static final Duration DRAIN = Duration.ofSeconds(30);

  private final ApiClient api;
  private final LocalCloud cloud;

  DataLossIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  record World(String org, String admin, String group, String otherGroup, String number, String goal, String script,
               String batchId, List<JsonNode> contacts, List<String> phones) {}

  /** An org with two groups that both know the same phones, an ACTIVE goal in the first, ari holding a batch. */
  private World world(int contacts, String strategy) {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String g = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number))).json().path("id").asText();
    String other = Fixtures.createGroup(api, admin, "Dallas", "America/Chicago");
    for (String a : List.of("ari", "bea")) {
      api.put("/groups/" + g + "/members/" + a, admin, Map.of("role", "agent"));
    }
    List<String> phones = new ArrayList<>();
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      String phone = Fixtures.randomNumber();
      phones.add(phone);
      Map<String, Object> row = new LinkedHashMap<>(Map.of("phone", phone, "firstName", "P" + i));
      if (strategy.equals("ASSIGNED")) {
        row.put("assignedAgentId", "ari");
      }
      rows.add(row);
    }
    assertThat(api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).status()).isEqualTo(200);
    assertThat(api.post("/groups/" + other + "/contacts", admin, Map.of("contacts", rows.stream()
        .map(r -> Map.of("phone", ((Map<?, ?>) r).get("phone"))).toList())).status()).isEqualTo(200);
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", strategy);
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Rally <event date>. Reply STOP to opt out"))));
    JsonNode created = api.post("/groups/" + g + "/goals", admin, goal).json();
    String goalId = created.path("id").asText();
    assertThat(api.post("/goals/" + goalId + "/launch", admin, null).status()).isEqualTo(200);
    api.freezeClock(ACTIVE);
    ApiClient.Reply claim = api.post("/goals/" + goalId + "/workflows/initial/claim", agent(org, g, "ari"), null);
    assertThat(claim.status()).as(claim.text()).isEqualTo(200);
    List<JsonNode> list = new ArrayList<>();
    claim.json().path("contacts").forEach(list::add);
    return new World(org, admin, g, other, number, goalId, created.path("scripts").path("initial").get(0).path("id")
        .asText(), claim.json().path("batchId").asText(), list, phones);
  }

  private String agent(String org, String group, String id) {
    return Fixtures.token(api, id, org, List.of("agent"), List.of(group));
  }

  private String phoneOf(World w, JsonNode c) {
    return api.get("/groups/" + w.group() + "/contacts/" + c.path("contactId").asText(), w.admin()).json()
        .path("phone").asText();
  }

  private ApiClient.Reply sendInitial(World w, JsonNode c, String agentId) {
    return api.post("/threads/" + c.path("threadId").asText() + "/messages", agent(w.org(), w.group(), agentId),
        Map.of("batchId", w.batchId(), "scriptId", w.script()));
  }

  private List<JsonNode> outboxTo(String phone) {
    List<JsonNode> out = new ArrayList<>();
    api.get("/_local/outbox?to=" + phone.replace("+", "%2B"), null).json().path("items").forEach(out::add);
    return out;
  }

  private String table() {
    return cloud.resources().ref("GoalpostTable").orElseThrow();
  }

  private String outboundQueueUrl() {
    return cloud.resources().ref("OutboundQueue").orElseThrow();
  }

  private InboundService inbound(CrashPoints crash, String queueUrl) {
    var queue = new OutboundQueue(cloud.clients().sqs(), queueUrl);
    var events = new DomainEvents(cloud.clients().events(), cloud.resources().ref("GoalpostBus").orElseThrow());
    return crash == CrashPoints.NONE
        ? new InboundService(cloud.clients().dynamo(), new Table(table()), queue, events, cloud.clock(), new Ids())
        : new InboundService(cloud.clients().dynamo(), new Table(table()), queue, events, cloud.clock(), new Ids(), crash);
  }

  private static CrashPoints crashAt(String point) {
    return reached -> {
      if (reached.equals(point)) {
        throw new IllegalStateException("crash at " + point);
      }
    };
  }

  private JsonNode contactIn(World w, String group, String phone) {
    String id = dev.goalpost.contacts.ContactRepository.contactId(w.org(), group, phone);
    return api.get("/groups/" + group + "/contacts/" + id, w.admin()).json();
  }

  private long goalStat(World w, String field) {
    return api.get("/goals/" + w.goal() + "/stats", w.admin()).json().path(field).asLong();
  }

  // ------------------------------------------------------------------ item 1: a STOP is never lost

  @Test
  void aStopCrashingAtAnyPointIsHonouredExactlyOnceWhenRedelivered() throws Exception {
    World w = world(InboundService.CRASH_POINTS.size(), "ANYONE");
    long optedOutBefore = goalStat(w, "optedOut");
    int i = 0;
    for (String point : InboundService.CRASH_POINTS) {
      JsonNode c = w.contacts().get(i++);
      String phone = phoneOf(w, c);
      assertThat(sendInitial(w, c, "ari").status()).isEqualTo(201);
      InboundSms stop = new InboundSms("twilio", "SMstop" + UUID.randomUUID().toString().replace("-", ""), phone,
          w.number(), "STOP", 0, List.of());

      assertThatThrownBy(() -> inbound(crashAt(point), outboundQueueUrl()).receive(stop)).as(point)
          .hasMessageContaining("crash at " + point);
      // The queue redelivers (twice: a duplicate delivery must change nothing either).
      inbound(CrashPoints.NONE, outboundQueueUrl()).receive(stop);
      inbound(CrashPoints.NONE, outboundQueueUrl()).receive(stop);
      cloud.drainTriggers(DRAIN);

      assertThat(contactIn(w, w.group(), phone).path("optedOut").asBoolean()).as(point).isTrue();
      assertThat(contactIn(w, w.otherGroup(), phone).path("optedOut").asBoolean()).as("fan-out, " + point).isTrue();
      List<String> confirmations = outboxTo(phone).stream().map(m -> m.path("body").asText())
          .filter(b -> b.contains("unsubscribed")).toList();
      assertThat(confirmations).as("confirmations after a crash at " + point).hasSize(1);
      assertThat(goalStat(w, "optedOut")).as(point).isEqualTo(optedOutBefore + i);
    }
  }

  @Test
  void aStopWhoseConfirmationCannotBeQueuedIsStillHonouredAndConfirmedOnceAfterRedelivery() throws Exception {
    World w = world(2, "ANYONE");
    String phone = w.phones().get(0);
    InboundSms stop = new InboundSms("twilio", "SMstopq" + UUID.randomUUID().toString().replace("-", ""), phone,
        w.number(), "stop", 0, List.of());
    // The outbound queue fails (throttled, down, misconfigured) after the reply's transaction committed.
    try {
      inbound(CrashPoints.NONE, outboundQueueUrl() + "-unavailable").receive(stop);
    } catch (RuntimeException expected) {
      // The old code threw here; the stored QUEUED confirmation is queued by the stream projection either way.
    }
    inbound(CrashPoints.NONE, outboundQueueUrl()).receive(stop); // the queue's redelivery
    api.advanceClock(Duration.ofMinutes(2));
    cloud.awaitScheduleCheck(DRAIN);
    cloud.drainTriggers(DRAIN);

    assertThat(contactIn(w, w.group(), phone).path("optedOut").asBoolean()).isTrue();
    assertThat(contactIn(w, w.otherGroup(), phone).path("optedOut").asBoolean()).isTrue();
    assertThat(outboxTo(phone)).extracting(m -> m.path("body").asText()).singleElement().asString()
        .contains("unsubscribed");
  }

  // ------------------------------------------------------------------ item 3: commit, then enqueue

  private dev.goalpost.workflows.MessageService messages(String queueUrl) {
    var dynamo = cloud.clients().dynamo();
    Table t = new Table(table());
    var groups = new dev.goalpost.groups.GroupCache(new dev.goalpost.groups.GroupRepository(dynamo, t), cloud.clock());
    return new dev.goalpost.workflows.MessageService(dynamo, t, new dev.goalpost.workflows.BatchRepository(dynamo, t),
        groups, new OutboundQueue(cloud.clients().sqs(), queueUrl), cloud.clock(), new Ids());
  }

  @Test
  void aTextStoredWhileTheQueueFailsLeavesOnceThroughTheStreamAndARetryWithoutAKeyTextsNoMore() throws Exception {
    World w = world(2, "ANYONE");
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);
    var ari = new dev.goalpost.platform.auth.Principal("ari", w.org(), java.util.Set.of(),
        Map.of(w.group(), dev.goalpost.platform.auth.Role.AGENT));
    var body = dev.goalpost.platform.Json.MAPPER.valueToTree(Map.of("batchId", w.batchId(), "scriptId", w.script()));

    // The queue refuses the send's own enqueue; the text is stored QUEUED and the answer is still 201.
    var first = messages(outboundQueueUrl() + "-unavailable").send(ari, c.path("threadId").asText(), body,
        java.util.Optional.empty());
    assertThat(first.status()).isEqualTo(201);

    // The client did not hear the answer and retries the same request, without an Idempotency-Key.
    ApiClient.Reply retry = api.post("/threads/" + c.path("threadId").asText() + "/messages",
        agent(w.org(), w.group(), "ari"), Map.of("batchId", w.batchId(), "scriptId", w.script()));
    assertThat(retry.status()).as(retry.text()).isEqualTo(201);
    assertThat(retry.json().path("id").asText()).isEqualTo(first.body().get("id"));

    // The safety net is the table's stream: the projection enqueues every outbound message INSERTed QUEUED
    // (FIFO dedup by message id; the sender sends only what it moves QUEUED -> SENDING). Settled, it has left once.
    cloud.settle(DRAIN);
    assertThat(outboxTo(phone)).hasSize(1);
    JsonNode thread = api.get("/threads/" + c.path("threadId").asText(), agent(w.org(), w.group(), "ari")).json();
    assertThat(thread.path("messages")).hasSize(1);
    assertThat(thread.path("messages").get(0).path("status").asText()).isEqualTo("SENT");
  }

  @Test
  void theSameFreeTextRetriedWithoutAKeyIsOneTextButTheSameWordsLaterAreANewOne() throws Exception {
    World w = world(1, "ANYONE");
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);
    assertThat(sendInitial(w, c, "ari").status()).isEqualTo(201);
    api.post("/_local/inbound", null, Map.of("from", phone, "to", w.number(), "body", "When is it?"));
    cloud.drainTriggers(DRAIN);
    String ari = agent(w.org(), w.group(), "ari");
    Map<String, Object> reply = Map.of("body", "Saturday at 6!", "goalId", w.goal());
    ApiClient.Reply one = api.post("/threads/" + c.path("threadId").asText() + "/messages", ari, reply);
    ApiClient.Reply two = api.post("/threads/" + c.path("threadId").asText() + "/messages", ari, reply);
    assertThat(one.status()).as(one.text()).isEqualTo(201);
    assertThat(two.json().path("id").asText()).isEqualTo(one.json().path("id").asText());
    api.advanceClock(dev.goalpost.workflows.MessageService.IMPLICIT_WINDOW.plusSeconds(1));
    ApiClient.Reply later = api.post("/threads/" + c.path("threadId").asText() + "/messages", ari, reply);
    assertThat(later.status()).as(later.text()).isEqualTo(201);
    assertThat(later.json().path("id").asText()).isNotEqualTo(one.json().path("id").asText());
    cloud.drainTriggers(DRAIN);
    assertThat(outboxTo(phone).stream().filter(m -> m.path("body").asText().equals("Saturday at 6!"))).hasSize(2);
  }

  // ------------------------------------------------------------------ item 5: transactions over 100 items

  @Test
  void aReplyRacingTheAgentsSendOnTheSameThreadIsFiledAfterItAndLeavesTheThreadUnread() throws Exception {
    World w = world(1, "ANYONE");
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);
    String threadId = c.path("threadId").asText();
    assertThat(sendInitial(w, c, "ari").status()).isEqualTo(201);
    api.advanceClock(Duration.ofSeconds(30));
    // The reply has read the thread; before it commits, the agent's next text commits on the same thread.
    var raced = new java.util.concurrent.atomic.AtomicBoolean();
    CrashPoints sendFirst = point -> {
      if (point.equals("inbound.beforeCommit") && raced.compareAndSet(false, true)) {
        ApiClient.Reply sent = api.post("/threads/" + threadId + "/messages", agent(w.org(), w.group(), "ari"),
            Map.of("body", "See you Saturday!", "goalId", w.goal()));
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
      }
    };
    inbound(sendFirst, outboundQueueUrl()).receive(new InboundSms("twilio",
        "SMrace" + UUID.randomUUID().toString().replace("-", ""), phone, w.number(), "Where is it?", 0, List.of()));

    assertThat(raced).isTrue();
    var item = cloud.clients().dynamo().getItem(b -> b.tableName(table()).consistentRead(true).key(Table.key(
        dev.goalpost.conversations.ThreadRepository.threadPartition(w.org(), threadId), "THREAD"))).item();
    assertThat(item.get("lastDirection").s()).isEqualTo("INBOUND");
    assertThat(item.get("unread").bool()).as("the send did not overwrite the reply").isTrue();
    JsonNode messages = api.get("/threads/" + threadId, agent(w.org(), w.group(), "ari")).json().path("messages");
    assertThat(messages.findValuesAsText("body")).containsExactly(messages.get(0).path("body").asText(),
        "See you Saturday!", "Where is it?");
    cloud.drainTriggers(DRAIN);
  }

  @Test
  void aReplyOnAThreadWithMoreThanAHundredAgentsIsStoredAndFlagsEveryOne() throws Exception {
    World w = world(1, "ANYONE");
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);
    String threadId = c.path("threadId").asText();
    assertThat(sendInitial(w, c, "ari").status()).isEqualTo(201);
    // 120 more agents took part in this thread over time (their conversation entries, as sends write them).
    var dynamo = cloud.clients().dynamo();
    for (int i = 0; i < 120; i++) {
      String agentId = "agent" + i;
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new java.util.HashMap<>(
          Table.key(dev.goalpost.conversations.ThreadRepository.threadPartition(w.org(), threadId), "AGENT#" + agentId));
      item.put("GSI1PK", Table.s(dev.goalpost.conversations.ThreadRepository.conversationsPartition(w.org(), agentId)));
      item.put("GSI1SK", Table.s(dev.goalpost.conversations.ThreadRepository.sortMs(ACTIVE.toEpochMilli()) + "#" + threadId));
      item.put("threadId", Table.s(threadId));
      item.put("agentId", Table.s(agentId));
      item.put("groupId", Table.s(w.group()));
      item.put("contactId", Table.s(c.path("contactId").asText()));
      item.put("unread", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(false));
      dynamo.putItem(b -> b.tableName(table()).item(item));
      dynamo.updateItem(b -> b.tableName(table()).key(Table.key(
              dev.goalpost.conversations.ThreadRepository.threadPartition(w.org(), threadId), "THREAD"))
          .updateExpression("ADD agents :a").expressionAttributeValues(Map.of(":a",
              software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromSs(List.of(agentId)))));
    }
    api.advanceClock(Duration.ofMinutes(1));
    InboundSms sms = new InboundSms("twilio", "SMbig" + UUID.randomUUID().toString().replace("-", ""), phone,
        w.number(), "Yes, count me in", 0, List.of());
    inbound(CrashPoints.NONE, outboundQueueUrl()).receive(sms);
    cloud.drainTriggers(DRAIN); // the conversation rows follow through the table stream

    for (String agentId : List.of("ari", "agent0", "agent119")) {
      JsonNode unread = api.get("/me/conversations?filter=unread", agent(w.org(), w.group(), agentId)).json();
      assertThat(unread.path("items").findValuesAsText("threadId")).as(agentId).containsExactly(threadId);
    }
    assertThat(goalStat(w, "replies")).isEqualTo(1);
  }

  @Test
  void anAssignedGoalWhoseContactsSpreadOverManyAgentsActivatesAndEveryAgentCanClaim() throws Exception {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    int agents = 120;
    List<Object> rows = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      assertThat(api.put("/groups/" + g + "/members/agent" + a, admin, Map.of("role", "agent")).status()).isEqualTo(200);
      for (int k = 0; k < 2; k++) {
        rows.add(Map.of("phone", Fixtures.randomNumber(), "firstName", "C" + a + "-" + k, "assignedAgentId", "agent" + a));
      }
    }
    assertThat(api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).status()).isEqualTo(200);
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Canvass");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", "ASSIGNED");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Reply STOP to opt out"))));
    String goalId = api.post("/groups/" + g + "/goals", admin, goal).json().path("id").asText();
    assertThat(api.post("/goals/" + goalId + "/launch", admin, null).status()).isEqualTo(200);
    api.freezeClock(ACTIVE);

    for (int a = 0; a < agents; a++) {
      ApiClient.Reply claim = api.post("/goals/" + goalId + "/workflows/initial/claim",
          agent(org, g, "agent" + a), null);
      assertThat(claim.status()).as("agent" + a + ": " + claim.text()).isEqualTo(200);
      String prefix = "C" + a + "-";
      assertThat(claim.json().path("contacts").findValuesAsText("firstName"))
          .isNotEmpty().allMatch(name -> name.startsWith(prefix));
    }
    cloud.drainTriggers(DRAIN);
    JsonNode stats = api.get("/goals/" + goalId + "/stats", admin).json();
    assertThat(stats.path("targeted").asInt()).isEqualTo(2 * agents);
    // A page cut at 90 batches may split an agent's two contacts over two batches.
    assertThat(stats.path("batches").path("total").asInt()).isBetween(agents, 2 * agents);
  }

  // ------------------------------------------------------------------ item 6: replies nobody sees

  @Test
  void aReplyFromAContactNobodyTextedWaitsInTheGroupInboxUntilAnAgentHasIt() throws Exception {
    World w = world(1, "ANYONE");
    String stranger = Fixtures.randomNumber();
    api.post("/_local/inbound", null, Map.of("from", stranger, "to", w.number(), "body", "who is this?"));
    cloud.drainTriggers(DRAIN);
    api.advanceClock(Duration.ofMinutes(1));
    String known = w.phones().get(0); // imported, never texted
    api.post("/_local/inbound", null, Map.of("from", known, "to", w.number(), "body", "hello?"));
    cloud.drainTriggers(DRAIN);

    JsonNode inbox = api.get("/groups/" + w.group() + "/inbox", w.admin()).json();
    assertThat(inbox.path("waiting").asInt()).isEqualTo(2);
    assertThat(inbox.path("items").findValuesAsText("phone")).containsExactly(known, stranger);
    String strangerThread = inbox.path("items").get(1).path("threadId").asText();

    // The admin hands the stranger to bea: it is in her unread conversations, and out of the inbox.
    assertThat(api.post("/conversations/" + strangerThread + "/assign", w.admin(), Map.of("agentId", "bea"))
        .status()).isEqualTo(200);
    assertThat(api.get("/me/conversations?filter=unread", agent(w.org(), w.group(), "bea")).json().path("items")
        .findValuesAsText("threadId")).containsExactly(strangerThread);
    // ari opens the other one: read, so it leaves the inbox too.
    String knownThread = inbox.path("items").get(0).path("threadId").asText();
    assertThat(api.get("/threads/" + knownThread, agent(w.org(), w.group(), "ari")).status()).isEqualTo(200);
    assertThat(api.get("/groups/" + w.group() + "/inbox", w.admin()).json().path("waiting").asInt()).isZero();
    assertThat(api.get("/groups/" + w.group() + "/inbox", agent(w.org(), w.group(), "ari")).status()).isEqualTo(403);
  }

  // ------------------------------------------------------------------ item 7: the cap counts free text

  @Test
  void freeTextToAContactWhoNeverWroteStopsAtTheDailyCapWhileAnswersAndConfirmationsGoOnAndCount() throws Exception {
    World w = world(4, "ANYONE");
    assertThat(api.patch("/groups/" + w.group(), w.admin(), Map.of("dailySegmentCap", 2)).status()).isEqualTo(200);
    String ari = agent(w.org(), w.group(), "ari");
    JsonNode answered = w.contacts().get(0);
    assertThat(sendInitial(w, answered, "ari").status()).isEqualTo(201);
    api.post("/_local/inbound", null, Map.of("from", phoneOf(w, answered), "to", w.number(), "body", "Tell me more"));
    cloud.drainTriggers(DRAIN);
    assertThat(sendInitial(w, w.contacts().get(1), "ari").status()).isEqualTo(201); // the cap is reached

    ApiClient.Reply cold = api.post("/threads/" + w.contacts().get(2).path("threadId").asText() + "/messages", ari,
        Map.of("body", "Hey, are you coming?"));
    assertThat(cold.status()).as(cold.text()).isEqualTo(409);
    assertThat(cold.json().path("type").asText()).endsWith("/daily-segment-cap");
    ApiClient.Reply answer = api.post("/threads/" + answered.path("threadId").asText() + "/messages", ari,
        Map.of("body", "Saturday, 6 pm", "goalId", w.goal()));
    assertThat(answer.status()).as(answer.text()).isEqualTo(201);

    String neverTexted = phoneOf(w, w.contacts().get(3)); // (claim order is not import order)
    api.post("/_local/inbound", null, Map.of("from", neverTexted, "to", w.number(), "body", "STOP"));
    cloud.drainTriggers(DRAIN);
    assertThat(outboxTo(neverTexted)).hasSize(1);
    JsonNode daily = api.get("/me/workflows", ari).json().path("goals").get(0).path("dailySegments");
    assertThat(daily.path("used").asLong()).as(daily.toString()).isEqualTo(4); // 2 initial + answer + confirmation
  }

  // ------------------------------------------------------------------ item 8: a held contact

  @Test
  void aContactInAnotherAgentsLiveBatchIsRefusedToFreeTextAndItsHolderStillSends() throws Exception {
    World w = world(2, "ANYONE");
    JsonNode c = w.contacts().get(0);
    String bea = agent(w.org(), w.group(), "bea");
    ApiClient.Reply free = api.post("/threads/" + c.path("threadId").asText() + "/messages", bea,
        Map.of("body", "Hi from Bea"));
    assertThat(free.status()).as(free.text()).isEqualTo(409);
    assertThat(free.json().path("type").asText()).endsWith("/thread-held");
    assertThat(free.json().path("detail").asText()).contains(ACTIVE.plus(Duration.ofHours(1)).toString());
    assertThat(api.get("/threads/" + c.path("threadId").asText(), bea).status()).isEqualTo(409);

    ApiClient.Reply own = sendInitial(w, c, "ari");
    assertThat(own.status()).as(own.text()).isEqualTo(201);
    cloud.drainTriggers(DRAIN);
    assertThat(outboxTo(phoneOf(w, c))).hasSize(1);

    // Once the lease ends, the batch holds nobody: bea may text the contact ari never reached.
    api.advanceClock(Duration.ofMinutes(61));
    JsonNode other = w.contacts().get(1);
    ApiClient.Reply after = api.post("/threads/" + other.path("threadId").asText() + "/messages", bea,
        Map.of("body", "Hi from Bea"));
    assertThat(after.status()).as(after.text()).isEqualTo(201);
  }

  // ------------------------------------------------------------------ item 9: assignment ends the old hold

  @Test
  void assigningAnUnassignedContactEndsThePreviousAgentsHoldAtOnce() throws Exception {
    api.freezeClock(ACTIVE);
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String g = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number))).json().path("id").asText();
    for (String a : List.of("ari", "bea")) {
      api.put("/groups/" + g + "/members/" + a, admin, Map.of("role", "agent"));
    }
    String phone = Fixtures.randomNumber();
    String contactId = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", List.of(Map.of("phone", phone))))
        .json().path("rows").get(0).path("contactId").asText();
    String threadId = dev.goalpost.conversations.ThreadIds.of(g, contactId);
    ApiClient.Reply sent = api.post("/threads/" + threadId + "/messages", agent(org, g, "ari"), Map.of("body", "Hello!"));
    assertThat(sent.status()).as(sent.text()).isEqualTo(201);
    api.post("/_local/inbound", null, Map.of("from", phone, "to", number, "body", "Hi, who's this?"));
    cloud.drainTriggers(DRAIN);

    assertThat(api.post("/conversations/" + threadId + "/assign", admin, Map.of("agentId", "bea")).status())
        .isEqualTo(200);
    ApiClient.Reply opened = api.get("/threads/" + threadId, agent(org, g, "bea"));
    assertThat(opened.status()).as(opened.text()).isEqualTo(200);
    ApiClient.Reply answer = api.post("/threads/" + threadId + "/messages", agent(org, g, "bea"), Map.of("body", "Bea here"));
    assertThat(answer.status()).as(answer.text()).isEqualTo(201);
  }
}
