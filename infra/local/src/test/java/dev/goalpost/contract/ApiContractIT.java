package dev.goalpost.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.local.carrier.CarrierSecrets;
import dev.goalpost.messaging.inbound.GenericSignature;
import dev.goalpost.messaging.inbound.TwilioSignature;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.http.ApiResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The contract, for real: one walk through the whole product — groups, members, contacts, a goal from draft to
 * launch, the clock moved to activation, claims, sends, replies through the carrier webhooks, unread work, a
 * lead action, review and stats, reminders — calling every route of the API through the local cloud, each with
 * a success and with at least one error. Every answer is checked against openapi.yaml: its status must be
 * documented for the operation, its media type documented for that status, and its body must validate
 * (JSON Schema 2020-12, strictly: no undocumented fields) against the documented schema. Every request body
 * sent on a success path is validated against the documented request schema too.
 *
 * <p>The steps share state and run in order; the last one asserts every operation of the document was
 * exercised with a 2xx and with an error.
 */
@LocalCloudTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiContractIT {
  /** 10:00 in Chicago the day before the goal's reach-out window opens. */
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  /** 10:00 in Chicago, the window open. */
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");
  static final Duration DRAIN = Duration.ofSeconds(30);
  static final Duration TTL = Duration.ofDays(365);

  private final ApiClient api;
  private final LocalCloud cloud;
  private final OpenApiContract contract = OpenApiContract.shared();

  // The world the steps build.
  private final String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
  private String admin;
  private String mia;
  private String ari;
  private String bea;
  private String zed;
  private String group;
  private String groupNumber;
  private String brooklyn;
  private String brooklynNumber;
  private final List<String> contactIds = new ArrayList<>();
  private final List<String> phones = new ArrayList<>();
  private String goal;
  private String followUp;
  private String initialScript;
  private String responseScript;
  private String batchId;
  private final Map<String, String> threadOf = new LinkedHashMap<>();

  ApiContractIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterAll
  void realTime() {
    api.resetClock();
  }

  // ------------------------------------------------------------------ steps

  @Test
  @Order(0)
  void everyBearerRouteRefusesARequestWithoutAToken() {
    for (OpenApiContract.Operation op : contract.operations()) {
      if (op.path().startsWith("/webhooks/")) {
        continue;
      }
      String path = op.path().replaceAll("\\{workflow}", "initial").replaceAll("\\{[^}]+}", "x_unknown");
      boolean body = op.node().has("requestBody");
      ApiClient.Reply r = api.raw(op.method().toUpperCase(), path,
          body ? Map.of("content-type", "application/json") : Map.of(), body ? "{}".getBytes() : null);
      contract.check(op.method(), path, r);
      assertThat(r.status()).as(op.key()).isEqualTo(401);
    }
  }

  @Test
  @Order(1)
  void groupsAndMembers() {
    api.freezeClock(LAUNCH);
    admin = api.token("admin-" + org, org, List.of("admin"), List.of(), TTL);
    groupNumber = randomNumber();
    Map<String, Object> austin = new LinkedHashMap<>();
    austin.put("name", "Austin");
    austin.put("timeZone", "America/Chicago");
    austin.put("phoneNumbers", List.of(groupNumber));
    austin.put("hoursOfOperation", Map.of("start", "08:00", "end", "20:00"));
    austin.put("unreadClaimMinutes", 30);
    JsonNode g = ok(201, "POST", "/groups", admin, austin);
    group = g.path("id").asText();
    assertThat(g.path("dailySegmentCap").asInt()).isEqualTo(2000);
    brooklynNumber = randomNumber();
    brooklyn = ok(201, "POST", "/groups", admin, Map.of("name", "Brooklyn", "timeZone", "America/New_York",
        "phoneNumbers", List.of(brooklynNumber))).path("id").asText();
    mia = api.token("mia", org, List.of("manager"), List.of(group), TTL);
    ari = api.token("ari", org, List.of("agent"), List.of(group), TTL);
    bea = api.token("bea", org, List.of("agent"), List.of(group), TTL);
    zed = api.token("zed", org, List.of("agent"), List.of(brooklyn), TTL);

    fails(403, "forbidden", "POST", "/groups", ari, Map.of("name", "Mine", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(randomNumber())));
    JsonNode invalid = fails(422, "validation-failed", "POST", "/groups", admin,
        Map.of("name", "Base", "timeZone", "Mars/Olympus", "phoneNumbers", List.of("5125550100")));
    assertThat(invalid.path("errors").findValuesAsText("field")).contains("timeZone", "phoneNumbers[0]");
    notJson("POST", "/groups", admin);
    fails(409, "phone-number-taken", "POST", "/groups", admin, Map.of("name", "Copy", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(groupNumber)));

    assertThat(ok(200, "GET", "/groups", admin, null).path("items").findValuesAsText("id")).contains(group, brooklyn);
    assertThat(ok(200, "GET", "/groups", ari, null).path("items").findValuesAsText("id")).containsExactly(group);
    fails(422, "validation-failed", "GET", "/groups?limit=0", admin, null);

    ok(200, "GET", "/groups/" + group, ari, null);
    fails(403, "forbidden", "GET", "/groups/" + group, zed, null);
    fails(404, "not-found", "GET", "/groups/grp_missing", admin, null);

    ok(200, "PATCH", "/groups/" + group, mia, Map.of("responseWindowMinutes", 60, "dailySegmentCap", 5000));
    fails(422, "validation-failed", "PATCH", "/groups/" + group, mia, json("{\"timeZone\": null}"));
    notJson("PATCH", "/groups/" + group, mia);
    fails(403, "forbidden", "PATCH", "/groups/" + group, ari, Map.of("name", "Mine"));
    fails(404, "not-found", "PATCH", "/groups/grp_missing", admin, Map.of("name", "Nowhere"));
    fails(409, "phone-number-taken", "PATCH", "/groups/" + group, admin,
        Map.of("phoneNumbers", List.of(groupNumber, brooklynNumber)));

    for (String agent : List.of("ari", "bea", "tmp")) {
      JsonNode m = ok(200, "PUT", "/groups/" + group + "/members/" + agent, admin, Map.of("role", "agent"));
      assertThat(m.path("role").asText()).isEqualTo("agent");
    }
    ok(200, "PUT", "/groups/" + group + "/members/mia", admin, Map.of("role", "manager"));
    fails(422, "validation-failed", "PUT", "/groups/" + group + "/members/cy", admin, Map.of("role", "boss"));
    notJson("PUT", "/groups/" + group + "/members/cy", admin);
    fails(403, "forbidden", "PUT", "/groups/" + group + "/members/cy", ari, Map.of("role", "agent"));
    fails(404, "not-found", "PUT", "/groups/grp_missing/members/cy", admin, Map.of("role", "agent"));

    assertThat(ok(200, "GET", "/groups/" + group + "/members", ari, null).path("items").findValuesAsText("userId"))
        .containsExactlyInAnyOrder("ari", "bea", "tmp", "mia");
    fails(422, "validation-failed", "GET", "/groups/" + group + "/members?limit=101", ari, null);
    fails(403, "forbidden", "GET", "/groups/" + group + "/members", zed, null);
    fails(404, "not-found", "GET", "/groups/grp_missing/members", admin, null);

    ok(204, "DELETE", "/groups/" + group + "/members/tmp", mia, null);
    fails(403, "forbidden", "DELETE", "/groups/" + group + "/members/bea", ari, null);
    fails(422, "validation-failed", "DELETE", "/groups/" + group + "/members/bad!id", admin, null);
    fails(404, "not-found", "DELETE", "/groups/grp_missing/members/bea", admin, null);
  }

  @Test
  @Order(2)
  void contacts() {
    String[] names = {"Ana", "Ben", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"};
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("phone", randomNumber());
      row.put("firstName", names[i]);
      row.put("lastName", "Diaz");
      row.put("customFields", Map.of("county", i % 2 == 0 ? "Travis" : "Hays"));
      row.put("tags", i == 7 ? List.of("do-not-text") : i % 3 == 0 ? List.of("volunteer") : List.of());
      if (i == 0) {
        row.put("assignedAgentId", "ari");
      }
      rows.add(row);
    }
    rows.add(Map.of("phone", ((Map<?, ?>) rows.get(1)).get("phone"), "firstName", "Ben again"));
    rows.add(Map.of("phone", "12", "firstName", "Nobody"));
    JsonNode result = ok(200, "POST", "/groups/" + group + "/contacts", mia, Map.of("contacts", rows));
    assertThat(result.path("created").asInt()).isEqualTo(8);
    assertThat(result.path("duplicates").asInt()).isEqualTo(1);
    assertThat(result.path("invalid").asInt()).isEqualTo(1);
    for (int i = 0; i < names.length; i++) {
      contactIds.add(result.path("rows").get(i).path("contactId").asText());
      phones.add(result.path("rows").get(i).path("phone").asText());
    }
    fails(422, "validation-failed", "POST", "/groups/" + group + "/contacts", mia, Map.of("contacts", List.of()));
    notJson("POST", "/groups/" + group + "/contacts", mia);
    fails(403, "forbidden", "POST", "/groups/" + group + "/contacts", ari, Map.of("contacts", rows.subList(0, 1)));
    fails(404, "not-found", "POST", "/groups/grp_missing/contacts", admin, Map.of("contacts", rows.subList(0, 1)));

    assertThat(ok(200, "GET", "/groups/" + group + "/contacts?tag=volunteer", ari, null).path("items")
        .findValuesAsText("firstName")).containsExactlyInAnyOrder("Ana", "Dee", "Gus");
    assertThat(ok(200, "GET", "/groups/" + group + "/contacts?q=ana&limit=10", ari, null).path("items")
        .findValuesAsText("id")).containsExactly(contactIds.get(0));
    fails(422, "validation-failed", "GET", "/groups/" + group + "/contacts?limit=abc", ari, null);
    fails(403, "forbidden", "GET", "/groups/" + group + "/contacts", zed, null);
    fails(404, "not-found", "GET", "/groups/grp_missing/contacts", admin, null);

    String c2 = "/groups/" + group + "/contacts/" + contactIds.get(2);
    ok(200, "GET", c2, ari, null);
    fails(403, "forbidden", "GET", c2, zed, null);
    fails(404, "not-found", "GET", "/groups/" + group + "/contacts/ct_missing", admin, null);

    JsonNode patched = ok(200, "PATCH", c2, mia, Map.of("addTags", List.of("vip"), "customFields",
        Map.of("county", "Travis")));
    assertThat(patched.path("tags").toString()).contains("vip");
    fails(422, "validation-failed", "PATCH", c2, mia, Map.of());
    notJson("PATCH", c2, mia);
    fails(403, "forbidden", "PATCH", c2, ari, Map.of("firstName", "Cyrus"));
    fails(404, "not-found", "PATCH", "/groups/" + group + "/contacts/ct_missing", admin, Map.of("firstName", "X"));
  }

  @Test
  @Order(3)
  void goalsFromDraftToLaunch() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "EVENT");
    body.put("name", "Winter rally");
    body.put("description", "For admins only");
    body.put("eventStartAt", "2026-12-20T18:00");
    body.put("assignmentStrategy", "ANYONE");
    body.put("agentInstructions", "Be kind. Details: https://example.org/rally");
    body.put("targeting", Map.of("tags", Map.of("hasNone", List.of("do-not-text"))));
    body.put("scripts", Map.of(
        "initial", List.of(Map.of("body", "Hi <first name|friend>, it's <agent name>: rally <event date>! Reply STOP to opt out")),
        "response", List.of(Map.of("body", "Thanks <first name|friend>!")),
        "reminder", List.of(Map.of("body", "Reminder: rally <event date> at <event time>. Reply STOP to opt out"))));
    body.put("workflowsAvailableAt", "2026-12-02T09:00");
    body.put("workflowsCloseAt", "2026-12-20T12:00");
    body.put("remindersEnabled", true);
    body.put("remindersAvailableAt", "2026-12-15T09:00");
    body.put("remindersCloseAt", "2026-12-20T12:00");
    JsonNode draft = ok(201, "POST", "/groups/" + group + "/goals", mia, body);
    goal = draft.path("id").asText();
    assertThat(draft.path("status").asText()).isEqualTo("DRAFT");
    assertThat(draft.path("eventStartAt").asText()).isEqualTo("2026-12-20T18:00:00-06:00");
    initialScript = draft.path("scripts").path("initial").get(0).path("id").asText();
    responseScript = draft.path("scripts").path("response").get(0).path("id").asText();
    fails(422, "validation-failed", "POST", "/groups/" + group + "/goals", mia, Map.of("type", "PARTY", "name", "x"));
    notJson("POST", "/groups/" + group + "/goals", mia);
    fails(403, "forbidden", "POST", "/groups/" + group + "/goals", ari, Map.of("type", "CUSTOM", "name", "x"));
    fails(404, "not-found", "POST", "/groups/grp_missing/goals", admin, Map.of("type", "CUSTOM", "name", "x"));

    String scratch = ok(201, "POST", "/groups/" + group + "/goals", mia, Map.of("type", "CUSTOM", "name", "Scratch"))
        .path("id").asText();
    fails(403, "forbidden", "DELETE", "/goals/" + scratch, ari, null);
    ok(204, "DELETE", "/goals/" + scratch, mia, null);
    fails(404, "not-found", "DELETE", "/goals/" + scratch, mia, null);
    followUp = ok(201, "POST", "/groups/" + group + "/goals", mia, Map.of("type", "CUSTOM", "name", "Follow-up",
        "targeting", Map.of("goalResults", List.of(Map.of("goalId", goal, "result", "YES"))))).path("id").asText();

    assertThat(ok(200, "GET", "/groups/" + group + "/goals?status=DRAFT&limit=10", mia, null).path("items")
        .findValuesAsText("id")).contains(goal, followUp);
    fails(422, "validation-failed", "GET", "/groups/" + group + "/goals?status=NOPE", mia, null);
    fails(403, "forbidden", "GET", "/groups/" + group + "/goals", ari, null);
    fails(404, "not-found", "GET", "/groups/grp_missing/goals", admin, null);

    ok(200, "GET", "/goals/" + goal, admin, null);
    fails(403, "forbidden", "GET", "/goals/" + goal, ari, null);
    fails(404, "not-found", "GET", "/goals/goal_missing", admin, null);

    ok(200, "PATCH", "/goals/" + goal, mia, Map.of("agentInstructions", "Be kind; ask if they can bring a friend."));
    fails(422, "validation-failed", "PATCH", "/goals/" + goal, mia, Map.of("type", "PARTY"));
    notJson("PATCH", "/goals/" + goal, mia);
    fails(403, "forbidden", "PATCH", "/goals/" + goal, ari, Map.of("name", "Mine"));
    fails(404, "not-found", "PATCH", "/goals/goal_missing", admin, Map.of("name", "Nowhere"));

    JsonNode estimate = ok(200, "GET", "/goals/" + goal + "/targeting/estimate", mia, null);
    assertThat(estimate.path("estimate").asInt()).isEqualTo(7);
    fails(403, "forbidden", "GET", "/goals/" + goal + "/targeting/estimate", ari, null);
    fails(404, "not-found", "GET", "/goals/goal_missing/targeting/estimate", admin, null);

    JsonNode copies = ok(201, "POST", "/goals/" + goal + "/duplicate", admin,
        Map.of("destinationGroupIds", List.of(brooklyn), "name", "Winter rally (Brooklyn)"));
    assertThat(copies.path("duplicates").get(0).path("goal").path("status").asText()).isEqualTo("DRAFT");
    fails(422, "validation-failed", "POST", "/goals/" + goal + "/duplicate", admin, Map.of());
    notJson("POST", "/goals/" + goal + "/duplicate", admin);
    fails(403, "forbidden", "POST", "/goals/" + goal + "/duplicate", mia, Map.of("destinationGroupIds", List.of(brooklyn)));
    fails(404, "not-found", "POST", "/goals/goal_missing/duplicate", admin, Map.of("destinationGroupIds", List.of(brooklyn)));
    fails(409, "duplicate-not-allowed", "POST", "/goals/" + followUp + "/duplicate", admin,
        Map.of("destinationGroupIds", List.of(brooklyn)));

    JsonNode notReady = fails(422, "goal-not-launchable", "POST", "/goals/" + followUp + "/launch", mia, null);
    assertThat(notReady.path("errors").findValuesAsText("field")).contains("workflowsAvailableAt");
    JsonNode launched = ok(200, "POST", "/goals/" + goal + "/launch", mia, null);
    assertThat(launched.path("status").asText()).isEqualTo("SCHEDULED");
    fails(409, "already-launched", "POST", "/goals/" + goal + "/launch", mia, null);
    fails(403, "forbidden", "POST", "/goals/" + goal + "/launch", ari, null);
    fails(404, "not-found", "POST", "/goals/goal_missing/launch", admin, null);
    JsonNode locked = fails(409, "field-locked", "PATCH", "/goals/" + goal, mia, Map.of("type", "SHIFT"));
    assertThat(locked.path("errors").findValuesAsText("field")).containsExactly("type");
    fails(409, "goal-launched", "DELETE", "/goals/" + goal, mia, null);

    assertThat(ok(200, "POST", "/goals/" + goal + "/pause", mia, null).path("status").asText()).isEqualTo("PAUSED");
    fails(409, "cannot-pause", "POST", "/goals/" + goal + "/pause", mia, null);
    fails(403, "forbidden", "POST", "/goals/" + goal + "/pause", ari, null);
    fails(404, "not-found", "POST", "/goals/goal_missing/pause", admin, null);
    assertThat(ok(200, "POST", "/goals/" + goal + "/resume", mia, null).path("status").asText()).isEqualTo("SCHEDULED");
    fails(409, "not-paused", "POST", "/goals/" + goal + "/resume", mia, null);
    fails(403, "forbidden", "POST", "/goals/" + goal + "/resume", ari, null);
    fails(404, "not-found", "POST", "/goals/goal_missing/resume", admin, null);
  }

  @Test
  @Order(4)
  void agentsClaimAndText() throws Exception {
    api.freezeClock(ACTIVE);
    JsonNode workflows = ok(200, "GET", "/me/workflows", ari, null);
    JsonNode mine = workflows.path("goals").get(0);
    assertThat(mine.path("goalId").asText()).isEqualTo(goal);
    assertThat(mine.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(mine.path("workflows").path("initial").path("open").asBoolean()).isTrue();

    String claimPath = "/goals/" + goal + "/workflows/initial/claim";
    JsonNode batch = ok(200, "POST", claimPath, ari, null);
    batchId = batch.path("batchId").asText();
    assertThat(batch.path("contacts")).hasSize(7);
    batch.path("contacts").forEach(c -> threadOf.put(c.path("contactId").asText(), c.path("threadId").asText()));
    fails(409, "nothing-to-claim", "POST", claimPath, bea, null);
    fails(403, "forbidden", "POST", claimPath, zed, null);
    fails(404, "not-found", "POST", "/goals/" + goal + "/workflows/sideways/claim", ari, null);
    fails(404, "not-found", "POST", "/goals/goal_missing/workflows/initial/claim", ari, null);

    // Ana, Ben, Cy and Dee get the first text; the first one with an Idempotency-Key, sent twice.
    Map<String, Object> send = Map.of("batchId", batchId, "scriptId", initialScript);
    String first = "/threads/" + thread(0) + "/messages";
    contract.checkRequest("POST", first, "application/json", send);
    ApiClient.Reply sent = contract.check("POST", first, api.raw("POST", first, Map.of("authorization", "Bearer " + ari,
        "content-type", "application/json", "idempotency-key", "walk-1"), Json.write(send).getBytes()));
    ApiClient.Reply again = contract.check("POST", first, api.raw("POST", first, Map.of("authorization", "Bearer " + ari,
        "content-type", "application/json", "idempotency-key", "walk-1"), Json.write(send).getBytes()));
    assertThat(sent.status()).as(sent.text()).isEqualTo(201);
    assertThat(again.json().path("id").asText()).isEqualTo(sent.json().path("id").asText());
    assertThat(sent.json().path("body").asText()).startsWith("Hi Ana, it's ari: rally");
    for (int i = 1; i < 4; i++) {
      ok(201, "POST", "/threads/" + thread(i) + "/messages", ari, send);
    }
    fails(409, "already-messaged", "POST", first, ari, send);
    fails(403, "forbidden", "POST", first, admin, Map.of("body", "Hello from the office"));
    fails(422, "validation-failed", "POST", first, ari, Map.of());
    notJson("POST", first, ari);
    fails(404, "not-found", "POST", missingThread() + "/messages", ari, Map.of("body", "Anyone there?"));

    JsonNode opened = ok(200, "GET", "/threads/" + thread(0), ari, null);
    assertThat(opened.path("holderAgentId").asText()).isEqualTo("ari");
    assertThat(opened.path("messages")).hasSize(1);
    fails(409, "thread-held", "GET", "/threads/" + thread(0), bea, null);
    fails(403, "forbidden", "GET", "/threads/" + thread(0), zed, null);
    fails(404, "not-found", "GET", "/threads/th_x", ari, null);

    // The conversation rows are the table stream's projection of the sends: they show once it has run.
    cloud.drainTriggers(DRAIN);
    assertThat(ok(200, "GET", "/me/conversations?limit=10", ari, null).path("items").findValuesAsText("threadId"))
        .containsExactlyInAnyOrder(thread(0), thread(1), thread(2), thread(3));
    fails(422, "validation-failed", "GET", "/me/conversations?filter=bogus", ari, null);

    ok(204, "POST", "/batches/" + batchId + "/release", ari, null);
    fails(409, "batch-not-held", "POST", "/batches/" + batchId + "/release", ari, null);
    fails(404, "not-found", "POST", "/batches/goal_x.I.bad/release", ari, null);
    cloud.drainTriggers(DRAIN);
  }

  @Test
  @Order(5)
  void contactsReplyThroughTheCarrierWebhooks() throws Exception {
    inbound(phones.get(0), "Yes, count me in!");
    inbound(phones.get(1), "STOP");
    inbound(phones.get(3), "maybe, what time?");
    cloud.drainTriggers(DRAIN);
    fails(409, "opted-out-by-contact", "PATCH", "/groups/" + group + "/contacts/" + contactIds.get(1), mia,
        Map.of("optedOut", false));

    // Twilio: an inbound text from a stranger, then a delivery receipt of one of ours.
    String stranger = randomNumber();
    Map<String, String> text = new LinkedHashMap<>();
    text.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    text.put("From", stranger);
    text.put("To", groupNumber);
    text.put("Body", "who is this?");
    text.put("NumMedia", "0");
    okWebhook(200, "/webhooks/twilio/messages", text);
    twilio(401, "bad-signature", "/webhooks/twilio/messages", form(text), "bm9wZQ==");
    twilio(400, "malformed-webhook", "/webhooks/twilio/messages", "Body=%zz", null);

    String providerId = ok(200, "GET", "/threads/" + thread(2), ari, null).path("messages").get(0)
        .path("providerMessageId").asText();
    assertThat(providerId).isNotBlank();
    okWebhook(200, "/webhooks/twilio/status", Map.of("MessageSid", providerId, "MessageStatus", "delivered"));
    twilio(401, "bad-signature", "/webhooks/twilio/status", form(Map.of("MessageSid", providerId,
        "MessageStatus", "delivered")), "bm9wZQ==");
    Map<String, String> noStatus = Map.of("MessageSid", providerId);
    twilio(400, "malformed-webhook", "/webhooks/twilio/status", form(noStatus), sign("/webhooks/twilio/status", noStatus));

    // The generic carrier: signed JSON, a replayed (stale) one, and one without an id.
    long now = api.now().getEpochSecond();
    Map<String, Object> generic = Map.of("id", "gen-" + UUID.randomUUID(), "from", randomNumber(), "to", groupNumber,
        "body", "hello");
    contract.checkRequest("POST", "/webhooks/generic/messages", "application/json", generic);
    ApiClient.Reply accepted = generic("/webhooks/generic/messages", Json.write(generic), now);
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    expectProblem(generic("/webhooks/generic/messages", Json.write(generic), now - 301), 401, "bad-signature");
    expectProblem(generic("/webhooks/generic/messages", Json.write(Map.of("from", randomNumber(), "to", groupNumber,
        "body", "no id")), now), 400, "malformed-webhook");
    cloud.drainTriggers(DRAIN);

    assertThat(ok(200, "GET", "/threads/" + thread(2), ari, null).path("messages").get(0).path("status").asText())
        .isEqualTo("DELIVERED");
  }

  @Test
  @Order(6)
  void repliesBecomeUnreadWorkAndLeadActions() {
    api.freezeClock(ACTIVE.plus(Duration.ofMinutes(61)));
    JsonNode unread = ok(200, "POST", "/goals/" + goal + "/workflows/unread/claim", bea, null);
    assertThat(unread.path("threads").findValuesAsText("threadId")).containsExactlyInAnyOrder(thread(0), thread(3));
    fails(409, "nothing-to-claim", "POST", "/goals/" + goal + "/workflows/unread/claim", ari, null);

    String lead = "/threads/" + thread(0) + "/lead-action";
    JsonNode yes = ok(200, "POST", lead, bea, Map.of("goalId", goal, "action", "YES"));
    assertThat(yes.path("action").asText()).isEqualTo("YES");
    fails(422, "validation-failed", "POST", lead, bea, Map.of("goalId", goal, "action", "MAYBE"));
    notJson("POST", lead, bea);
    fails(403, "forbidden", "POST", lead, zed, Map.of("goalId", goal, "action", "YES"));
    fails(409, "thread-held", "POST", lead, ari, Map.of("goalId", goal, "action", "NO"));
    fails(404, "not-found", "POST", missingThread() + "/lead-action", bea, Map.of("goalId", goal, "action", "YES"));

    JsonNode reply = ok(201, "POST", "/threads/" + thread(0) + "/messages", bea,
        Map.of("scriptId", responseScript, "goalId", goal));
    assertThat(reply.path("workflow").asText()).isEqualTo("unread");
    ok(204, "POST", "/batches/" + unread.path("batchId").asText() + "/release", bea, null);

    JsonNode script = ok(201, "POST", "/me/scripts", ari, Map.of("name", "thanks", "body", "Thank you <first name|friend>!"));
    assertThat(ok(200, "GET", "/me/scripts", ari, null).path("items").findValuesAsText("id"))
        .containsExactly(script.path("id").asText());
    fails(422, "validation-failed", "POST", "/me/scripts", ari, Map.of("body", "Hi <shoe size>"));
    notJson("POST", "/me/scripts", ari);
    String sam = api.token("sam-" + org, org, List.of("agent"), List.of(group), TTL);
    for (int i = 0; i < 100; i++) {
      assertThat(api.post("/me/scripts", sam, Map.of("body", "Canned reply " + i)).status()).isEqualTo(201);
    }
    fails(409, "too-many-scripts", "POST", "/me/scripts", sam, Map.of("body", "One too many"));
  }

  @Test
  @Order(7)
  void adminsReviewConversationsAndStats() throws Exception {
    cloud.drainTriggers(DRAIN); // review rows and stats are the stream projection's: settled first
    String list = "/groups/" + group + "/conversations";
    JsonNode all = ok(200, "GET", list + "?agentId=ari", mia, null);
    assertThat(all.path("items").findValuesAsText("threadId"))
        .containsExactlyInAnyOrder(thread(0), thread(1), thread(2), thread(3));
    JsonNode unresponded = ok(200, "GET", list + "?agentId=ari&filter=unresponded", admin, null);
    // Dee asked a question nobody answered yet; Ana got bea's reply; Cy never wrote back.
    assertThat(unresponded.path("items").findValuesAsText("threadId")).contains(thread(3))
        .doesNotContain(thread(0), thread(2));
    assertThat(ok(200, "GET", list + "?agentId=bea&q=ana&limit=5", admin, null).path("items")
        .findValuesAsText("threadId")).containsExactly(thread(0));
    assertThat(ok(200, "GET", list + "?agentId=ari&tag=volunteer", admin, null).path("items")
        .findValuesAsText("threadId")).containsExactlyInAnyOrder(thread(0), thread(3));
    fails(422, "validation-failed", "GET", list + "?agentId=ari&filter=bogus", mia, null);
    fails(422, "validation-failed", "GET", list, mia, null);
    fails(403, "forbidden", "GET", list + "?agentId=ari", ari, null);
    fails(404, "not-found", "GET", "/groups/grp_missing/conversations?agentId=ari", admin, null);

    // The stranger's "who is this?" is on no agent's list: it waits in the group's inbox.
    JsonNode inbox = ok(200, "GET", "/groups/" + group + "/inbox?limit=10", mia, null);
    assertThat(inbox.path("waiting").asInt()).isPositive();
    assertThat(inbox.path("items").findValuesAsText("lastInboundAt")).isNotEmpty();
    fails(403, "forbidden", "GET", "/groups/" + group + "/inbox", ari, null);
    fails(404, "not-found", "GET", "/groups/grp_missing/inbox", admin, null);

    // Dee's "maybe" is unread; reviewing it (twice) never marks it read.
    String dee = "/conversations/" + thread(3);
    assertThat(ok(200, "GET", dee, mia, null).path("unread").asBoolean()).isTrue();
    JsonNode review = ok(200, "GET", dee, admin, null);
    assertThat(review.path("unread").asBoolean()).isTrue();
    assertThat(review.path("agents").toString()).contains("ari");
    assertThat(review.path("messages")).hasSize(2);
    fails(403, "forbidden", "GET", dee, ari, null);
    fails(404, "not-found", "GET", "/conversations/" + missingThread().substring("/threads/".length()), admin, null);

    String assign = dee + "/assign";
    assertThat(ok(200, "POST", assign, mia, Map.of("agentId", "bea")).path("assignedAgentId").asText()).isEqualTo("bea");
    assertThat(ok(200, "POST", assign, admin, json("{\"agentId\": null}")).path("assignedAgentId").isNull()).isTrue();
    fails(422, "validation-failed", "POST", assign, mia, Map.of("agentId", "nobody"));
    notJson("POST", assign, mia);
    fails(403, "forbidden", "POST", assign, ari, Map.of("agentId", "ari"));
    fails(404, "not-found", "POST", "/conversations/" + missingThread().substring("/threads/".length()) + "/assign",
        admin, Map.of("agentId", "ari"));

    cloud.drainTriggers(DRAIN);
    JsonNode stats = ok(200, "GET", "/goals/" + goal + "/stats", mia, null);
    assertThat(stats.path("targeted").asInt()).isEqualTo(7);
    assertThat(stats.path("contacts").path("messaged").asInt()).isEqualTo(4);
    assertThat(stats.path("yes").asInt()).isEqualTo(1);
    assertThat(stats.path("perAgent").findValuesAsText("agentId")).contains("ari");
    fails(403, "forbidden", "GET", "/goals/" + goal + "/stats", ari, null);
    fails(404, "not-found", "GET", "/goals/goal_missing/stats", admin, null);

    // Cy asks in words no keyword catches; the agent opts the contact out (org-wide, like a STOP).
    String optOut = "/threads/" + thread(2) + "/opt-out";
    assertThat(ok(200, "POST", optOut, ari, null).path("alreadyOptedOut").asBoolean()).isFalse();
    assertThat(ok(200, "POST", optOut, ari, null).path("alreadyOptedOut").asBoolean()).isTrue();
    fails(403, "forbidden", "POST", optOut, zed, null);
    fails(404, "not-found", "POST", missingThread() + "/opt-out", ari, null);
  }

  @Test
  @Order(8)
  void theYesContactsBecomeTheReminderBatch() {
    api.freezeClock(Instant.parse("2026-12-15T16:00:00Z"));
    JsonNode reminders = ok(200, "POST", "/goals/" + goal + "/workflows/reminders/claim", ari, null);
    assertThat(reminders.path("workflow").asText()).isEqualTo("reminders");
    assertThat(reminders.path("contacts").findValuesAsText("contactId")).containsExactly(contactIds.get(0));
  }

  @Test
  @Order(9)
  void everyDocumentedOperationWasCalledWithASuccessAndAnError() {
    assertThat(contract.gaps()).as("operations not fully exercised; statuses seen: " + contract.seen()).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  /** A success: the request body is one the contract accepts, the answer has {@code status} and conforms. */
  private JsonNode ok(int status, String method, String path, String token, Object body) {
    if (body != null) {
      contract.checkRequest(method, path, "application/json", body);
    }
    ApiClient.Reply r = contract.check(method, path, api.send(method, path, token, body));
    assertThat(r.status()).as(method + " " + path + " → " + r.text()).isEqualTo(status);
    return r.json();
  }

  /** A refusal: problem+json of {@code status} and type slug, conforming to the contract. */
  private JsonNode fails(int status, String slug, String method, String path, String token, Object body) {
    ApiClient.Reply r = contract.check(method, path, api.send(method, path, token, body));
    return expectProblem(r, status, slug);
  }

  private JsonNode expectProblem(ApiClient.Reply r, int status, String slug) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("content-type")).startsWith("application/problem+json");
    assertThat(r.json().path("type").asText()).as(r.text()).isEqualTo(ApiResponse.PROBLEM_BASE + slug);
    assertThat(r.json().path("status").asInt()).isEqualTo(status);
    return r.json();
  }

  /** A body that is not JSON: 400 malformed-request. */
  private void notJson(String method, String path, String token) {
    ApiClient.Reply r = contract.check(method, path, api.raw(method, path,
        Map.of("authorization", "Bearer " + token, "content-type", "application/json"), "{not json".getBytes()));
    expectProblem(r, 400, "malformed-request");
  }

  private static JsonNode json(String text) {
    try {
      return Json.read(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private String thread(int contact) {
    return threadOf.get(contactIds.get(contact));
  }

  private String missingThread() {
    return "/threads/th_" + group.substring("grp_".length()) + "_missing";
  }

  private void inbound(String from, String body) {
    ApiClient.Reply r = api.post("/_local/inbound", null, Map.of("from", from, "to", groupNumber, "body", body));
    assertThat(r.json().path("webhookStatus").asInt()).as(r.text()).isEqualTo(200);
  }

  private String sign(String path, Map<String, String> params) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    params.forEach((k, v) -> multi.put(k, List.of(v)));
    return TwilioSignature.compute(CarrierSecrets.twilioAuthToken(), api.baseUrl() + path, multi);
  }

  private static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private void okWebhook(int status, String path, Map<String, String> params) {
    contract.checkRequest("POST", path, "application/x-www-form-urlencoded", params);
    ApiClient.Reply r = twilioRaw(path, form(params), sign(path, params));
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("content-type")).startsWith("text/xml");
  }

  private void twilio(int status, String slug, String path, String form, String signature) {
    expectProblem(twilioRaw(path, form, signature), status, slug);
  }

  private ApiClient.Reply twilioRaw(String path, String form, String signature) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/x-www-form-urlencoded");
    if (signature != null) {
      headers.put(TwilioSignature.HEADER, signature);
    }
    return contract.check("POST", path, api.raw("POST", path, headers, form.getBytes(StandardCharsets.UTF_8)));
  }

  private ApiClient.Reply generic(String path, String body, long timestamp) {
    return contract.check("POST", path, api.raw("POST", path, Map.of("content-type", "application/json",
        GenericSignature.TIMESTAMP_HEADER, String.valueOf(timestamp),
        GenericSignature.SIGNATURE_HEADER, GenericSignature.sign(CarrierSecrets.genericSecret(), timestamp, body)),
        body.getBytes(StandardCharsets.UTF_8)));
  }

  /** A random valid US number (group numbers are unique across every org of the deployment). */
  private static String randomNumber() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "+1512" + (2 + r.nextInt(8)) + String.format("%06d", r.nextInt(1_000_000));
  }
}
