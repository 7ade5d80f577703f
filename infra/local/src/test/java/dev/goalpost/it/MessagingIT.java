package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.local.carrier.CarrierSecrets;
import dev.goalpost.messaging.inbound.GenericSignature;
import dev.goalpost.platform.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole texting path locally: API send → outbound queue → sender → local carrier → receipts, and carrier
 * webhook → signature check → inbound queue → processor → thread, unread work and opt-outs.
 */
@LocalCloudTest
class MessagingIT {
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z"); // 10:00 in Chicago
  /** A wait for the queues to empty, not a sleep: 45 replies take ~500 emulator requests, slow on a busy machine. */
  static final Duration DRAIN = Duration.ofSeconds(120);

  private final ApiClient api;
  private final LocalCloud cloud;

  MessagingIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  record World(String org, String admin, String group, String number, String goal, String script, List<JsonNode> contacts) {}

  private World world(int contacts) throws Exception {
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
      rows.add(Map.of("phone", Fixtures.randomNumber(), "firstName", "P" + i));
    }
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows));
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Rally <event date>. Reply STOP to opt out"))));
    JsonNode created = api.post("/groups/" + g + "/goals", admin, goal).json();
    String goalId = created.path("id").asText();
    api.post("/goals/" + goalId + "/launch", admin, null);
    api.freezeClock(ACTIVE);
    JsonNode batch = api.post("/goals/" + goalId + "/workflows/initial/claim", agent(org, g, "ari"), null).json();
    List<JsonNode> list = new ArrayList<>();
    batch.path("contacts").forEach(list::add);
    return new World(org, admin, g, number, goalId, created.path("scripts").path("initial").get(0).path("id").asText(),
        list.stream().map(c -> withBatch(c, batch.path("batchId").asText())).toList());
  }

  private static JsonNode withBatch(JsonNode c, String batchId) {
    var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) c).deepCopy();
    copy.put("batchId", batchId);
    return copy;
  }

  private String agent(String org, String group, String id) {
    return Fixtures.token(api, id, org, List.of("agent"), List.of(group));
  }

  private String phoneOf(World w, JsonNode c) {
    return api.get("/groups/" + w.group() + "/contacts/" + c.path("contactId").asText(), w.admin()).json()
        .path("phone").asText();
  }

  private JsonNode sendInitial(World w, JsonNode c) {
    ApiClient.Reply r = api.post("/threads/" + c.path("threadId").asText() + "/messages", agent(w.org(), w.group(), "ari"),
        Map.of("batchId", c.path("batchId").asText(), "scriptId", w.script()));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json();
  }

  private List<JsonNode> outboxTo(String phone) {
    List<JsonNode> out = new ArrayList<>();
    api.get("/_local/outbox?to=" + phone.replace("+", "%2B"), null).json().path("items").forEach(out::add);
    return out;
  }

  private JsonNode thread(World w, String threadId, String agentId) {
    return api.get("/threads/" + threadId, agent(w.org(), w.group(), agentId)).json();
  }

  private void inbound(String from, String to, String body) {
    ApiClient.Reply r = api.post("/_local/inbound", null, Map.of("from", from, "to", to, "body", body));
    assertThat(r.json().path("webhookStatus").asInt()).as(r.text()).isEqualTo(200);
  }

  @Test
  void aSentTextLeavesFromTheGroupsNumberAndItsReceiptMarksItDelivered() throws Exception {
    World w = world(3);
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);

    JsonNode queued = sendInitial(w, c);
    cloud.drainTriggers(DRAIN);

    List<JsonNode> sent = outboxTo(phone);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).path("from").asText()).isEqualTo(w.number());
    assertThat(sent.get(0).path("body").asText()).isEqualTo(queued.path("body").asText());
    JsonNode message = thread(w, c.path("threadId").asText(), "ari").path("messages").get(0);
    assertThat(message.path("status").asText()).isEqualTo("SENT");
    assertThat(message.path("providerMessageId").asText()).isEqualTo(sent.get(0).path("providerMessageId").asText());

    api.post("/_local/receipts", null, Map.of("providerMessageId", message.path("providerMessageId").asText(),
        "status", "delivered"));
    cloud.drainTriggers(DRAIN);
    assertThat(thread(w, c.path("threadId").asText(), "ari").path("messages").get(0).path("status").asText())
        .isEqualTo("DELIVERED");
  }

  @Test
  void aReplyIsStoredOnTheThreadAndBecomesUnreadWorkOnceTheHoldEnds() throws Exception {
    World w = world(3);
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);
    sendInitial(w, c);
    cloud.drainTriggers(DRAIN);

    inbound(phone, w.number(), "Yes I'll come!");
    cloud.drainTriggers(DRAIN);

    String bea = agent(w.org(), w.group(), "bea");
    assertThat(api.get("/me/conversations?filter=unread", agent(w.org(), w.group(), "ari")).json().path("items")
        .findValuesAsText("threadId")).containsExactly(c.path("threadId").asText());
    assertThat(api.post("/goals/" + w.goal() + "/workflows/unread/claim", bea, null).status()).isEqualTo(409);

    api.freezeClock(ACTIVE.plus(Duration.ofMinutes(61)));
    JsonNode claim = api.post("/goals/" + w.goal() + "/workflows/unread/claim", bea, null).json();
    assertThat(claim.path("threads").findValuesAsText("threadId")).containsExactly(c.path("threadId").asText());
    JsonNode opened = thread(w, c.path("threadId").asText(), "bea");
    assertThat(opened.path("messages")).hasSize(2);
    assertThat(opened.path("messages").get(1).path("direction").asText()).isEqualTo("INBOUND");
    assertThat(opened.path("messages").get(1).path("body").asText()).isEqualTo("Yes I'll come!");
    assertThat(api.get("/goals/" + w.goal() + "/workflows/unread/claim", bea).status()).isIn(404, 405);
  }

  @Test
  void agentsClaimingUnreadRepliesTogetherHoldDisjointThreadsAndLeaveNoneBehind() throws Exception {
    World w = world(45);
    for (JsonNode c : w.contacts()) {
      sendInitial(w, c);
    }
    cloud.drainTriggers(DRAIN);
    for (JsonNode c : w.contacts()) {
      inbound(phoneOf(w, c), w.number(), "Count me in");
    }
    cloud.drainTriggers(DRAIN);
    api.freezeClock(ACTIVE.plus(Duration.ofMinutes(61)));
    List<String> agents = List.of("bea", "cy", "dee", "eli");
    for (String a : agents) {
      api.put("/groups/" + w.group() + "/members/" + a, w.admin(), Map.of("role", "agent"));
    }
    String path = "/goals/" + w.goal() + "/workflows/unread/claim";

    // One claim alone takes the 10 oldest replies, then three agents claim in the same instant (a crowd; with
    // 35 replies left they all fall in one share, so they collide and must retry without losing or doubling any).
    JsonNode alone = api.post(path, agent(w.org(), w.group(), "ari"), null).json();
    List<ApiClient.Reply> crowd = java.util.Collections.synchronizedList(new ArrayList<>());
    List<java.util.concurrent.Callable<Void>> claims = new ArrayList<>();
    for (String a : agents.subList(0, 3)) {
      String token = agent(w.org(), w.group(), a);
      claims.add(() -> {
        crowd.add(api.post(path, token, null));
        return null;
      });
    }
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(claims.size())) {
      for (var f : pool.invokeAll(claims)) {
        f.get();
      }
    }

    List<String> held = new ArrayList<>(alone.path("threads").findValuesAsText("threadId"));
    assertThat(held).hasSize(10);
    List<String> oldest = alone.path("threads").findValuesAsText("lastInboundAt");
    for (ApiClient.Reply r : crowd) {
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.json().path("threads")).hasSize(10);
      held.addAll(r.json().path("threads").findValuesAsText("threadId"));
      for (String later : r.json().path("threads").findValuesAsText("lastInboundAt")) {
        assertThat(oldest).allSatisfy(o -> assertThat(Instant.parse(o)).isBeforeOrEqualTo(Instant.parse(later)));
      }
    }
    assertThat(held).doesNotHaveDuplicates().hasSize(40);
    JsonNode last = api.post(path, agent(w.org(), w.group(), "eli"), null).json();
    List<String> everyThread = w.contacts().stream().map(c -> c.path("threadId").asText()).toList();
    List<String> rest = last.path("threads").findValuesAsText("threadId");
    assertThat(rest).hasSize(5).doesNotContainAnyElementsOf(held);
    held.addAll(rest);
    assertThat(held).containsExactlyInAnyOrderElementsOf(everyThread);
    assertThat(api.post(path, agent(w.org(), w.group(), "bea"), null).status()).isEqualTo(409);
  }

  @Test
  void stopOptsOutAcrossTheOrgWithExactlyOneConfirmationAndStartOptsBackIn() throws Exception {
    World w = world(3);
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);

    inbound(phone, w.number(), " stop ");
    inbound(phone, w.number(), "STOP");
    cloud.drainTriggers(DRAIN);

    assertThat(outboxTo(phone)).hasSize(1);
    assertThat(outboxTo(phone).get(0).path("body").asText()).contains("unsubscribed");
    JsonNode contact = api.get("/groups/" + w.group() + "/contacts/" + c.path("contactId").asText(), w.admin()).json();
    assertThat(contact.path("optedOut").asBoolean()).isTrue();
    assertThat(contact.path("optOutSource").asText()).isEqualTo("contact");
    ApiClient.Reply refused = api.post("/threads/" + c.path("threadId").asText() + "/messages",
        agent(w.org(), w.group(), "ari"), Map.of("batchId", c.path("batchId").asText(), "scriptId", w.script()));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("type").asText()).endsWith("/contact-opted-out");
    assertThat(api.patch("/groups/" + w.group() + "/contacts/" + c.path("contactId").asText(), w.admin(),
        Map.of("optedOut", false)).json().path("type").asText()).endsWith("/opted-out-by-contact");

    inbound(phone, w.number(), "Start");
    cloud.drainTriggers(DRAIN);
    assertThat(outboxTo(phone)).hasSize(2);
    assertThat(api.get("/groups/" + w.group() + "/contacts/" + c.path("contactId").asText(), w.admin()).json()
        .path("optedOut").asBoolean()).isFalse();
  }

  @Test
  void initialTextsStopAtTheDailySegmentCapUntilMidnightInTheGroupsZoneWhileRepliesGoOn() throws Exception {
    World w = world(6);
    assertThat(api.patch("/groups/" + w.group(), w.admin(), Map.of("dailySegmentCap", 3)).status()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      sendInitial(w, w.contacts().get(i));
    }
    String ari = agent(w.org(), w.group(), "ari");
    JsonNode c = w.contacts().get(3);
    ApiClient.Reply capped = api.post("/threads/" + c.path("threadId").asText() + "/messages", ari,
        Map.of("batchId", c.path("batchId").asText(), "scriptId", w.script()));
    assertThat(capped.status()).isEqualTo(409);
    assertThat(capped.json().path("type").asText()).endsWith("/daily-segment-cap");
    JsonNode daily = api.get("/me/workflows", ari).json().path("goals").get(0);
    assertThat(daily.path("dailySegments").path("warning").asBoolean()).isTrue();
    assertThat(daily.path("dailySegments").path("capReached").asBoolean()).isTrue();
    assertThat(daily.path("workflows").path("initial").path("open").asBoolean()).isFalse();
    // A reply answers a contact who wrote (free text to one who never did counts as outreach: DataLossIT).
    inbound(phoneOf(w, w.contacts().get(0)), w.number(), "What time?");
    cloud.drainTriggers(DRAIN);
    ApiClient.Reply reply = api.post("/threads/" + w.contacts().get(0).path("threadId").asText() + "/messages", ari,
        Map.of("body", "Thanks!", "goalId", w.goal()));
    assertThat(reply.status()).as(reply.text()).isEqualTo(201);

    api.freezeClock(Instant.parse("2026-12-03T14:30:00Z")); // 08:30 the next day in Chicago
    JsonNode again = api.post("/goals/" + w.goal() + "/workflows/initial/claim", ari, null).json();
    ApiClient.Reply nextDay = api.post("/threads/" + again.path("contacts").get(0).path("threadId").asText()
        + "/messages", ari, Map.of("batchId", again.path("batchId").asText(), "scriptId", w.script()));
    assertThat(nextDay.status()).as(nextDay.text()).isEqualTo(201);
  }

  @Test
  void aTextQueuedBeforeTheContactOptedOutIsNeverSent() throws Exception {
    World w = world(1);
    JsonNode c = w.contacts().get(0);
    String phone = phoneOf(w, c);
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    var dynamo = cloud.clients().dynamo();
    var message = new dev.goalpost.conversations.Message("msg_queuedbeforestop00", c.path("threadId").asText(),
        dev.goalpost.conversations.Message.Direction.OUTBOUND, "Hi!", 1, "GSM7", dev.goalpost.conversations.Message.Status.QUEUED,
        "ari", w.goal(), null, "initial", ACTIVE, null, null, w.number(), phone);
    dynamo.putItem(b -> b.tableName(table).item(dev.goalpost.conversations.MessageMapper.toItem(w.org(), message)));
    // The contact texts STOP while the text waits in the queue.
    new dev.goalpost.contacts.OptOuts(dynamo, new dev.goalpost.platform.Table(table)).optOut(w.org(), phone, "contact", ACTIVE);
    List<String> providerCalls = new ArrayList<>();
    var sender = new dev.goalpost.messaging.outbound.SenderService(dynamo, new dev.goalpost.platform.Table(table),
        new dev.goalpost.messaging.outbound.SmsProvider() {
          @Override
          public String name() {
            return "recording";
          }

          @Override
          public SendResult send(OutboundSms sms) {
            providerCalls.add(sms.to());
            return new SendResult.Sent("SMrecorded");
          }
        }, java.time.Clock.fixed(ACTIVE, java.time.ZoneOffset.UTC));

    var outcome = sender.send(new dev.goalpost.messaging.OutboundQueue.Ref(w.org(), message.threadId(),
        dev.goalpost.conversations.MessageMapper.sortKey(message), message.id(), w.number(), phone));

    assertThat(outcome).isEqualTo(dev.goalpost.messaging.outbound.SenderService.Outcome.DONE);
    assertThat(providerCalls).isEmpty();
    var stored = dynamo.getItem(b -> b.tableName(table).key(dev.goalpost.platform.Table.key(
        dev.goalpost.conversations.ThreadRepository.threadPartition(w.org(), message.threadId()),
        dev.goalpost.conversations.MessageMapper.sortKey(message)))).item();
    assertThat(stored.get("status").s()).isEqualTo("FAILED");
    assertThat(stored.get("error").s()).contains("opted out");
  }

  @Test
  void aTextFromAnUnknownPhoneCreatesTheContact() throws Exception {
    World w = world(1);
    String stranger = Fixtures.randomNumber();
    inbound(stranger, w.number(), "who is this?");
    cloud.drainTriggers(DRAIN);
    JsonNode found = api.get("/groups/" + w.group() + "/contacts?q=" + stranger.substring(1), w.admin()).json();
    assertThat(found.path("items").findValuesAsText("phone")).containsExactly(stranger);
  }

  @Test
  void webhooksWithABadSignatureOrAMalformedBodyAreRefusedAndNothingIsStored() throws Exception {
    World w = world(1);
    String stranger = Fixtures.randomNumber();
    String form = "MessageSid=SMx&From=" + stranger.replace("+", "%2B") + "&To=" + w.number().replace("+", "%2B") + "&Body=hi";
    ApiClient.Reply forged = api.raw("POST", "/webhooks/twilio/messages", Map.of(
        "content-type", "application/x-www-form-urlencoded", "X-Twilio-Signature", "bm9wZQ=="), form.getBytes());
    assertThat(forged.status()).isEqualTo(401);
    ApiClient.Reply unsigned = api.raw("POST", "/webhooks/twilio/messages", Map.of(
        "content-type", "application/x-www-form-urlencoded"), form.getBytes());
    assertThat(unsigned.status()).isEqualTo(401);
    ApiClient.Reply malformed = api.raw("POST", "/webhooks/twilio/messages", Map.of(
        "content-type", "application/x-www-form-urlencoded"), "Body=%zz".getBytes());
    assertThat(malformed.status()).isEqualTo(400);
    cloud.drainTriggers(DRAIN);
    assertThat(api.get("/groups/" + w.group() + "/contacts?q=" + stranger.substring(1), w.admin()).json()
        .path("items")).isEmpty();
  }

  @Test
  void theGenericWebhookTakesSignedJsonAndRefusesReplays() throws Exception {
    World w = world(1);
    String stranger = Fixtures.randomNumber();
    String body = Json.write(Map.of("id", "gen-1", "from", stranger, "to", w.number(), "body", "hello"));
    long now = ACTIVE.getEpochSecond();
    ApiClient.Reply ok = api.raw("POST", "/webhooks/generic/messages", Map.of("content-type", "application/json",
        GenericSignature.TIMESTAMP_HEADER, String.valueOf(now),
        GenericSignature.SIGNATURE_HEADER, GenericSignature.sign(CarrierSecrets.genericSecret(), now, body)), body.getBytes());
    assertThat(ok.status()).as(ok.text()).isEqualTo(202);
    long old = now - 301;
    ApiClient.Reply replay = api.raw("POST", "/webhooks/generic/messages", Map.of("content-type", "application/json",
        GenericSignature.TIMESTAMP_HEADER, String.valueOf(old),
        GenericSignature.SIGNATURE_HEADER, GenericSignature.sign(CarrierSecrets.genericSecret(), old, body)), body.getBytes());
    assertThat(replay.status()).isEqualTo(401);
    cloud.drainTriggers(DRAIN);
    assertThat(api.get("/groups/" + w.group() + "/contacts?q=" + stranger.substring(1), w.admin()).json()
        .path("items")).hasSize(1);
  }
}
