package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloudTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Claims, leases, sends and lead actions over HTTP with the local clock moved, never waited for. */
@LocalCloudTest
class WorkflowsIT {
  /** 10:00 in Chicago: inside the default hours of operation. */
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");

  private final ApiClient api;

  WorkflowsIT(ApiClient api) {
    this.api = api;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  record Setup(String org, String admin, String group, String goal, List<String> contactIds) {
    String agent(ApiClient api, String id) {
      return Fixtures.token(api, id, org, List.of("agent"), List.of(group));
    }
  }

  private Setup setup(int contacts, String strategy, boolean reminders) {
    api.freezeClock(LAUNCH);
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    for (String a : List.of("ari", "bea", "cy", "dee")) {
      api.put("/groups/" + g + "/members/" + a, admin, Map.of("role", "agent"));
    }
    List<String> ids = new ArrayList<>();
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < contacts; i++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("phone", "+1512555" + String.format("%04d", 2000 + i));
      c.put("firstName", "P" + i);
      c.put("assignedAgentId", i % 2 == 0 ? "ari" : "bea");
      rows.add(c);
    }
    for (int from = 0; from < rows.size(); from += 1000) {
      ApiClient.Reply r = api.post("/groups/" + g + "/contacts", admin,
          Map.of("contacts", rows.subList(from, Math.min(rows.size(), from + 1000))));
      r.json().path("rows").forEach(row -> ids.add(row.path("contactId").asText()));
    }
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", strategy);
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("remindersEnabled", reminders);
    if (reminders) {
      goal.put("remindersAvailableAt", "2026-12-15T09:00");
      goal.put("remindersCloseAt", "2026-12-20T12:00");
    }
    goal.put("scripts", Map.of(
        "initial", List.of(Map.of("body", "Hi <first name>, it's <agent name>: rally <event date>! Reply STOP to opt out")),
        "response", List.of(Map.of("body", "Thanks <first name>!")),
        "reminder", List.of(Map.of("body", "Reminder: rally <event date> at <event time>. Reply STOP to opt out"))));
    ApiClient.Reply created = api.post("/groups/" + g + "/goals", admin, goal);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String goalId = created.json().path("id").asText();
    assertThat(api.post("/goals/" + goalId + "/launch", admin, null).status()).isEqualTo(200);
    api.freezeClock(ACTIVE);
    return new Setup(org, admin, g, goalId, ids);
  }

  private ApiClient.Reply claim(String token, String goal, String workflow) {
    return api.post("/goals/" + goal + "/workflows/" + workflow + "/claim", token, null);
  }

  private String initialScript(Setup s) {
    return api.get("/goals/" + s.goal(), s.admin()).json().path("scripts").path("initial").get(0).path("id").asText();
  }

  private ApiClient.Reply send(String token, String threadId, Map<String, Object> body, String key) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("authorization", "Bearer " + token);
    headers.put("content-type", "application/json");
    if (key != null) {
      headers.put("idempotency-key", key);
    }
    return api.raw("POST", "/threads/" + threadId + "/messages", headers,
        dev.goalpost.platform.Json.write(body).getBytes());
  }

  @Test
  void agentsClaimDisjointBatchesOfAHundredAndAReclaimReturnsTheSameBatch() {
    Setup s = setup(250, "ANYONE", false);
    String ari = s.agent(api, "ari");
    String bea = s.agent(api, "bea");

    ApiClient.Reply a = claim(ari, s.goal(), "initial");
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(a.json().path("leaseExpiresAt").asText()).isEqualTo(ACTIVE.plus(Duration.ofHours(1)).toString());
    ApiClient.Reply again = claim(ari, s.goal(), "initial");
    assertThat(again.json().path("batchId").asText()).isEqualTo(a.json().path("batchId").asText());
    ApiClient.Reply b = claim(bea, s.goal(), "initial");
    assertThat(ids(b.json())).doesNotContainAnyElementsOf(ids(a.json()));
    JsonNode workflows = api.get("/me/workflows", s.agent(api, "cy")).json().path("goals").get(0);
    assertThat(workflows.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(workflows.path("workflows").path("initial").path("open").asBoolean()).isTrue();
    assertThat(workflows.path("workflows").path("initial").path("waiting").asInt()).isEqualTo(1);
    assertThat(workflows.path("goalScripts").path("initial").get(0).path("body").asText()).contains("STOP");
    assertThat(workflows.path("mergeValues").path("group name").asText()).isNotBlank();
    assertThat(workflows.path("mergeValues").path("event date").asText()).matches("[A-Z][a-z]+day, [A-Z][a-z]+ \\d{1,2}");
    ApiClient.Reply c = claim(s.agent(api, "cy"), s.goal(), "initial");
    // 250 contacts are cut 100 + 100 + 50; candidates are tried in random order, so any agent may get the 50.
    assertThat(List.of(a.json().path("contacts").size(), b.json().path("contacts").size(),
        c.json().path("contacts").size())).containsExactlyInAnyOrder(100, 100, 50);
    Set<String> all = new HashSet<>(ids(a.json()));
    all.addAll(ids(b.json()));
    all.addAll(ids(c.json()));
    assertThat(all).containsExactlyInAnyOrderElementsOf(s.contactIds());
    ApiClient.Reply none = claim(s.agent(api, "dee"), s.goal(), "initial");
    assertThat(none.status()).isEqualTo(409);
    assertThat(none.json().path("type").asText()).endsWith("/nothing-to-claim");
    assertThat(none.json().path("detail").asText()).contains("next lease ends at");
  }

  @Test
  void aSendIsQueuedOnceForOneIdempotencyKeyAndHoldsTheThreadForOthers() {
    Setup s = setup(120, "ANYONE", false);
    String ari = s.agent(api, "ari");
    JsonNode batch = claim(ari, s.goal(), "initial").json();
    JsonNode first = batch.path("contacts").get(0);
    String thread = first.path("threadId").asText();
    Map<String, Object> body = Map.of("batchId", batch.path("batchId").asText(), "scriptId", initialScript(s));

    ApiClient.Reply sent = send(ari, thread, body, "key-1");
    ApiClient.Reply replay = send(ari, thread, body, "key-1");

    assertThat(sent.status()).as(sent.text()).isEqualTo(201);
    assertThat(sent.json().path("status").asText()).isEqualTo("QUEUED");
    assertThat(sent.json().path("body").asText()).startsWith("Hi " + first.path("firstName").asText()
        + ", it's ari: rally Sunday, December 20!");
    assertThat(sent.json().path("segments").asInt()).isEqualTo(1);
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.json().path("id").asText()).isEqualTo(sent.json().path("id").asText());
    JsonNode opened = api.get("/threads/" + thread, ari).json();
    assertThat(opened.path("messages")).hasSize(1);
    assertThat(opened.path("holderAgentId").asText()).isEqualTo("ari");

    ApiClient.Reply other = api.get("/threads/" + thread, s.agent(api, "bea"));
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().path("detail").asText()).contains("until 2026-12-02T17:00:00Z");
    ApiClient.Reply twice = send(ari, thread, body, "key-2");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().path("type").asText()).endsWith("/already-messaged");
    assertThat(api.post("/_local/settle", null, null).status()).isEqualTo(200); // conversation rows: the stream
    assertThat(api.get("/me/conversations", ari).json().path("items").findValuesAsText("threadId"))
        .containsExactly(thread);
  }

  @Test
  void anExpiredLeaseOrAReleaseReturnsTheUnsentContactsAndTheOldHolderCanNoLongerSend() {
    Setup s = setup(100, "ANYONE", false);
    String ari = s.agent(api, "ari");
    JsonNode batch = claim(ari, s.goal(), "initial").json();
    String script = initialScript(s);
    String batchId = batch.path("batchId").asText();
    assertThat(send(ari, batch.path("contacts").get(0).path("threadId").asText(),
        Map.of("batchId", batchId, "scriptId", script), null).status()).isEqualTo(201);
    assertThat(claim(s.agent(api, "bea"), s.goal(), "initial").status()).isEqualTo(409);

    api.freezeClock(ACTIVE.plus(Duration.ofMinutes(61)));

    JsonNode taken = claim(s.agent(api, "bea"), s.goal(), "initial").json();
    assertThat(taken.path("batchId").asText()).isEqualTo(batchId);
    assertThat(taken.path("contacts")).hasSize(99);
    ApiClient.Reply late = send(ari, batch.path("contacts").get(1).path("threadId").asText(),
        Map.of("batchId", batchId, "scriptId", script), null);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().path("type").asText()).endsWith("/batch-lease-lost");

    assertThat(api.post("/batches/" + batchId + "/release", s.agent(api, "bea"), null).status()).isEqualTo(204);
    assertThat(claim(s.agent(api, "cy"), s.goal(), "initial").json().path("contacts")).hasSize(99);
  }

  @Test
  void aContactWhoOptedOutAfterTheClaimLeavesTheBatchAtTheRefusedSendSoTheBatchCloses() {
    Setup s = setup(3, "ANYONE", false);
    String ari = s.agent(api, "ari");
    JsonNode batch = claim(ari, s.goal(), "initial").json();
    String batchId = batch.path("batchId").asText();
    String script = initialScript(s);
    JsonNode out = batch.path("contacts").get(0);
    ApiClient.Reply optOut = api.patch("/groups/" + s.group() + "/contacts/" + out.path("contactId").asText(),
        s.admin(), Map.of("optedOut", true));
    assertThat(optOut.status()).as(optOut.text()).isEqualTo(200);

    ApiClient.Reply refused = send(ari, out.path("threadId").asText(), Map.of("batchId", batchId, "scriptId", script), null);
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().path("type").asText()).endsWith("/contact-opted-out");
    JsonNode again = claim(ari, s.goal(), "initial").json();
    assertThat(again.path("batchId").asText()).isEqualTo(batchId);
    assertThat(ids(again)).as("the opted-out contact is no longer offered").hasSize(2)
        .doesNotContain(out.path("contactId").asText());
    for (JsonNode c : again.path("contacts")) {
      assertThat(send(ari, c.path("threadId").asText(), Map.of("batchId", batchId, "scriptId", script), null)
          .status()).isEqualTo(201);
    }

    // Nothing is left in it: the next claim closes it, and the goal has nothing more to claim.
    ApiClient.Reply after = claim(ari, s.goal(), "initial");
    assertThat(after.status()).as(after.text()).isEqualTo(409);
    assertThat(after.json().path("type").asText()).endsWith("/nothing-to-claim");
    ApiClient.Reply bea = claim(s.agent(api, "bea"), s.goal(), "initial");
    assertThat(bea.status()).as("no batch comes back with only an opted-out contact in it").isEqualTo(409);
  }

  @Test
  void assignedGoalsGiveEachAgentOnlyTheirOwnContacts() {
    Setup s = setup(60, "ASSIGNED", false);
    JsonNode ari = claim(s.agent(api, "ari"), s.goal(), "initial").json();
    JsonNode bea = claim(s.agent(api, "bea"), s.goal(), "initial").json();
    assertThat(ari.path("contacts")).hasSize(30);
    assertThat(bea.path("contacts")).hasSize(30);
    Set<String> even = new HashSet<>();
    for (int i = 0; i < 60; i += 2) {
      even.add(s.contactIds().get(i));
    }
    assertThat(ids(ari)).containsExactlyInAnyOrderElementsOf(even);
    assertThat(claim(s.agent(api, "cy"), s.goal(), "initial").status()).isEqualTo(409);
  }

  @Test
  void workflowsAreClosedBeforeActivationOutsideHoursAndWhilePaused() {
    Setup s = setup(10, "ANYONE", false);
    String ari = s.agent(api, "ari");
    api.freezeClock(LAUNCH);
    assertThat(claim(ari, s.goal(), "initial").json().path("type").asText()).endsWith("/workflow-closed");
    api.freezeClock(Instant.parse("2026-12-03T03:00:00Z")); // 21:00 in Chicago
    ApiClient.Reply late = claim(ari, s.goal(), "initial");
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().path("type").asText()).endsWith("/outside-hours");
    api.freezeClock(ACTIVE);
    api.post("/goals/" + s.goal() + "/pause", s.admin(), null);
    assertThat(claim(ari, s.goal(), "initial").json().path("type").asText()).endsWith("/workflow-closed");
    assertThat(claim(ari, s.goal(), "sideways").status()).isEqualTo(404);
  }

  @Test
  void contactsMarkedYesBecomeTheReminderBatchInTheReminderWindow() {
    Setup s = setup(20, "ANYONE", true);
    String ari = s.agent(api, "ari");
    JsonNode batch = claim(ari, s.goal(), "initial").json();
    String script = initialScript(s);
    List<String> yes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode c = batch.path("contacts").get(i);
      assertThat(send(ari, c.path("threadId").asText(), Map.of("batchId", batch.path("batchId").asText(),
          "scriptId", script), null).status()).isEqualTo(201);
      ApiClient.Reply lead = api.post("/threads/" + c.path("threadId").asText() + "/lead-action", ari,
          Map.of("goalId", s.goal(), "action", i < 2 ? "YES" : "NO"));
      assertThat(lead.status()).as(lead.text()).isEqualTo(200);
      if (i < 2) {
        yes.add(c.path("contactId").asText());
      }
    }
    assertThat(claim(ari, s.goal(), "reminders").json().path("type").asText()).endsWith("/workflow-closed");

    api.freezeClock(Instant.parse("2026-12-15T16:00:00Z"));
    JsonNode reminders = claim(s.agent(api, "bea"), s.goal(), "reminders").json();
    assertThat(ids(reminders)).containsExactlyInAnyOrderElementsOf(yes);

    api.freezeClock(Instant.parse("2026-12-20T18:00:00Z"));
    ApiClient.Reply closed = api.post("/threads/" + batch.path("contacts").get(0).path("threadId").asText()
        + "/lead-action", ari, Map.of("goalId", s.goal(), "action", "YES"));
    assertThat(closed.status()).isEqualTo(409);
    assertThat(closed.json().path("type").asText()).endsWith("/lead-actions-unavailable");
  }

  @Test
  void agentsKeepTheirOwnScriptsAndAdminsCannotMessageContacts() {
    Setup s = setup(5, "ANYONE", false);
    String ari = s.agent(api, "ari");
    ApiClient.Reply created = api.post("/me/scripts", ari, Map.of("name", "thanks", "body", "Thank you <first name|friend>!"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(api.get("/me/scripts", ari).json().path("items")).hasSize(1);
    assertThat(api.post("/me/scripts", ari, Map.of("body", "Hi <shoe size>")).status()).isEqualTo(422);
    String thread = claim(ari, s.goal(), "initial").json().path("contacts").get(0).path("threadId").asText();
    assertThat(send(s.admin(), thread, Map.of("body", "hello"), null).status()).isEqualTo(403);
    ApiClient.Reply own = send(ari, thread, Map.of("scriptId", created.json().path("id").asText()), null);
    assertThat(own.status()).as(own.text()).isEqualTo(201);
  }

  private static List<String> ids(JsonNode claim) {
    List<String> out = new ArrayList<>();
    claim.path("contacts").forEach(c -> out.add(c.path("contactId").asText()));
    return out;
  }
}
