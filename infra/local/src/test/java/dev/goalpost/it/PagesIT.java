package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
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

/**
 * Reads whose loops only show past one page: more goals than one page of /me/workflows, and a review page
 * whose BatchGetItem needs more than DynamoDB's 100 keys. (The suite runs with pages of 3 and DynamoDB's
 * limits on, so every other loop runs too; these two need more items than a page of the API itself.)
 */
@LocalCloudTest
class PagesIT {
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");

  private final ApiClient api;
  private final LocalCloud cloud;

  PagesIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  private static Map<String, Object> goal(String name) {
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", name);
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("assignmentStrategy", "ANYONE");
    goal.put("workflowsAvailableAt", "2026-12-02T09:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Reply STOP to opt out"))));
    return goal;
  }

  private String group(String admin, List<String> agents, String number) {
    String g = Fixtures.createGroupWith(api, admin, number);
    for (String a : agents) {
      assertThat(api.put("/groups/" + g + "/members/" + a, admin, Map.of("role", "agent")).status()).isEqualTo(200);
    }
    return g;
  }

  @Test
  void myWorkflowsShowsAGoalBehindFiftyNewerOnes() {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = group(admin, List.of("ari"), Fixtures.randomNumber());
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", List.of(Map.of("phone", Fixtures.randomNumber()))));
    String oldest = api.post("/groups/" + g + "/goals", admin, goal("Oldest")).json().path("id").asText();
    assertThat(api.post("/goals/" + oldest + "/launch", admin, null).status()).isEqualTo(200);
    // 55 newer goals, drafts (left out of /me/workflows): the launched one is the 56th, newest first.
    for (int i = 0; i < 55; i++) {
      assertThat(api.post("/groups/" + g + "/goals", admin, goal("Draft " + i)).status()).isEqualTo(201);
    }
    api.freezeClock(ACTIVE);
    JsonNode goals = api.get("/me/workflows", Fixtures.token(api, "ari", org, List.of("agent"), List.of(g)))
        .json().path("goals");
    assertThat(goals.findValuesAsText("goalId")).containsExactly(oldest);
  }

  @Test
  void aReviewPageOfSixtyConversationsReadsItsHundredTwentyItemsInTwoBatches() throws Exception {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = group(admin, List.of("ari"), Fixtures.randomNumber());
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rows.add(Map.of("phone", Fixtures.randomNumber(), "firstName", "P" + i, "assignedAgentId", "ari"));
    }
    assertThat(api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).status()).isEqualTo(200);
    JsonNode created = api.post("/groups/" + g + "/goals", admin, goal("Rally")).json();
    String goalId = created.path("id").asText();
    String script = created.path("scripts").path("initial").get(0).path("id").asText();
    assertThat(api.post("/goals/" + goalId + "/launch", admin, null).status()).isEqualTo(200);
    api.freezeClock(ACTIVE);
    String ari = Fixtures.token(api, "ari", org, List.of("agent"), List.of(g));
    JsonNode batch = api.post("/goals/" + goalId + "/workflows/initial/claim", ari, null).json();
    assertThat(batch.path("contacts")).hasSize(60);
    Set<String> threads = new HashSet<>();
    for (JsonNode c : batch.path("contacts")) {
      assertThat(api.post("/threads/" + c.path("threadId").asText() + "/messages", ari,
          Map.of("batchId", batch.path("batchId").asText(), "scriptId", script)).status()).isEqualTo(201);
      threads.add(c.path("threadId").asText());
    }
    cloud.drainTriggers(Duration.ofSeconds(60));

    // 60 rows: 120 keys (thread + contact per row), over DynamoDB's 100 per BatchGetItem.
    ApiClient.Reply page = api.get("/groups/" + g + "/conversations?agentId=ari&limit=100", admin);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    assertThat(page.json().path("items").findValuesAsText("threadId")).containsExactlyInAnyOrderElementsOf(threads);
    assertThat(page.json().path("nextCursor").isMissingNode() || page.json().path("nextCursor").isNull()).isTrue();
  }

  @Test
  void anUnrespondedReviewPageReachesPastConversationsItFiltersOut() throws Exception {
    api.freezeClock(Instant.parse("2026-12-01T16:00:00Z"));
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String g = group(admin, List.of("ari"), number);
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      rows.add(Map.of("phone", Fixtures.randomNumber(), "firstName", "P" + i, "assignedAgentId", "ari"));
    }
    Map<String, String> phones = new LinkedHashMap<>();
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).json().path("rows")
        .forEach(r -> phones.put(r.path("contactId").asText(), r.path("phone").asText()));
    JsonNode created = api.post("/groups/" + g + "/goals", admin, goal("Rally")).json();
    String goalId = created.path("id").asText();
    String script = created.path("scripts").path("initial").get(0).path("id").asText();
    assertThat(api.post("/goals/" + goalId + "/launch", admin, null).status()).isEqualTo(200);
    api.freezeClock(ACTIVE);
    String ari = Fixtures.token(api, "ari", org, List.of("agent"), List.of(g));
    JsonNode batch = api.post("/goals/" + goalId + "/workflows/initial/claim", ari, null).json();
    JsonNode first = batch.path("contacts").get(0);
    assertThat(api.post("/threads/" + first.path("threadId").asText() + "/messages", ari,
        Map.of("batchId", batch.path("batchId").asText(), "scriptId", script)).status()).isEqualTo(201);
    cloud.drainTriggers(Duration.ofSeconds(30));
    api.advanceClock(Duration.ofMinutes(1));
    api.post("/_local/inbound", null, Map.of("from", phones.get(first.path("contactId").asText()), "to", number,
        "body", "Count me in"));
    cloud.drainTriggers(Duration.ofSeconds(30));
    // Eight newer conversations, all answered by the agent (responded): they come first, newest first.
    for (int i = 1; i < batch.path("contacts").size(); i++) {
      api.advanceClock(Duration.ofMinutes(1));
      JsonNode c = batch.path("contacts").get(i);
      assertThat(api.post("/threads/" + c.path("threadId").asText() + "/messages", ari,
          Map.of("batchId", batch.path("batchId").asText(), "scriptId", script)).status()).isEqualTo(201);
    }
    cloud.drainTriggers(Duration.ofSeconds(30));

    JsonNode page = api.get("/groups/" + g + "/conversations?agentId=ari&filter=unresponded&limit=1", admin).json();
    assertThat(page.path("items").findValuesAsText("threadId")).containsExactly(first.path("threadId").asText());
  }
}
