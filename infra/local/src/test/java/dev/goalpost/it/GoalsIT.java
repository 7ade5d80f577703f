package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloudTest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A goal's whole admin life over HTTP, with the local clock moved instead of waited for. */
@LocalCloudTest
class GoalsIT {
  static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z"); // 09:00 in Chicago

  private final ApiClient api;

  GoalsIT(ApiClient api) {
    this.api = api;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  private static Map<String, Object> eventGoal() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "EVENT");
    body.put("name", "Winter rally");
    body.put("description", "For admins only");
    body.put("eventStartAt", "2026-12-20T18:00");
    body.put("workflowsAvailableAt", "2026-12-10T09:00");
    body.put("workflowsCloseAt", "2026-12-20T12:00");
    body.put("agentInstructions", "Be kind. Details: https://example.org/rally");
    body.put("scripts", Map.of(
        "initial", List.of(Map.of("body", "Hi <first name|friend>, rally on <event date> at <event time>! "
            + "Can you come? Reply STOP to opt out")),
        "response", List.of(Map.of("body", "Great, see you there!"))));
    return body;
  }

  @Test
  void aGoalGoesFromDraftThroughEveryStatusAndIntoAnotherGroup() {
    api.freezeClock(NOW);
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String austin = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String brooklyn = Fixtures.createGroup(api, admin, "Brooklyn", "America/New_York");

    ApiClient.Reply created = api.post("/groups/" + austin + "/goals", admin, eventGoal());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode draft = created.json();
    String goal = draft.path("id").asText();
    assertThat(draft.path("status").asText()).isEqualTo("DRAFT");
    assertThat(draft.path("eventStartAt").asText()).isEqualTo("2026-12-20T18:00:00-06:00");
    assertThat(draft.path("calendar").path("reachOut").path("from").asText()).isEqualTo("2026-12-10T09:00:00-06:00");

    ApiClient.Reply launch = api.post("/goals/" + goal + "/launch", admin, null);
    assertThat(launch.status()).as(launch.text()).isEqualTo(200);
    JsonNode launched = launch.json();
    assertThat(launched.path("status").asText()).isEqualTo("SCHEDULED");
    assertThat(launched.path("workflows").path("initial").asBoolean()).isFalse();

    api.freezeClock(Instant.parse("2026-12-10T14:59:59.999Z"));
    assertThat(status(admin, goal)).isEqualTo("SCHEDULED");
    api.freezeClock(Instant.parse("2026-12-10T15:00:00Z"));
    JsonNode active = api.get("/goals/" + goal, admin).json();
    assertThat(active.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(active.path("workflows").path("initial").asBoolean()).isTrue();
    assertThat(active.path("workflows").path("leadActions").asBoolean()).isTrue();

    assertThat(api.post("/goals/" + goal + "/pause", admin, null).json().path("status").asText()).isEqualTo("PAUSED");
    List<String> paused = new java.util.ArrayList<>();
    api.get("/groups/" + austin + "/goals?status=PAUSED", admin).json().path("items")
        .forEach(item -> paused.add(item.path("id").asText()));
    assertThat(paused).containsExactly(goal);
    assertThat(api.get("/groups/" + austin + "/goals?status=ACTIVE", admin).json().path("items")).isEmpty();
    assertThat(api.post("/goals/" + goal + "/resume", admin, null).json().path("status").asText()).isEqualTo("ACTIVE");

    // Complete early: both reach-out dates in the past.
    JsonNode completed = api.patch("/goals/" + goal, admin, Map.of("workflowsAvailableAt", "2026-12-01T09:00",
        "workflowsCloseAt", "2026-12-10T08:59")).json();
    assertThat(completed.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(completed.path("workflows").path("unread").asBoolean()).isTrue();
    assertThat(completed.path("workflows").path("scripts").asText()).isEqualTo("AGENT_CREATED_ONLY");

    ApiClient.Reply dup = api.post("/goals/" + goal + "/duplicate", admin,
        Map.of("destinationGroupIds", List.of(brooklyn), "name", "Winter rally (Brooklyn)"));
    assertThat(dup.status()).as(dup.text()).isEqualTo(201);
    JsonNode copy = dup.json().path("duplicates").get(0).path("goal");
    assertThat(copy.path("status").asText()).isEqualTo("DRAFT");
    assertThat(copy.path("groupId").asText()).isEqualTo(brooklyn);
    assertThat(copy.path("name").asText()).isEqualTo("Winter rally (Brooklyn)");
    assertThat(copy.path("eventStartAt").asText()).isEqualTo("2026-12-20T19:00:00-05:00");
    assertThat(copy.path("scripts").path("initial").get(0).path("id").asText())
        .isNotEqualTo(completed.path("scripts").path("initial").get(0).path("id").asText());

    // Reopen: the close date moves into the future again.
    JsonNode reopened = api.patch("/goals/" + goal, admin, Map.of("workflowsCloseAt", "2026-12-24T12:00")).json();
    assertThat(reopened.path("status").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void launchRefusesWithEveryMissingFieldListed() {
    api.freezeClock(NOW);
    String admin = Fixtures.admin(api, Fixtures.newOrg());
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String goal = api.post("/groups/" + g + "/goals", admin, Map.of("type", "SHIFT", "name", "Phone bank",
        "remindersEnabled", true)).json().path("id").asText();

    ApiClient.Reply r = api.post("/goals/" + goal + "/launch", admin, null);

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("type").asText()).endsWith("/goal-not-launchable");
    assertThat(r.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("shiftStartAt",
        "workflowsAvailableAt", "workflowsCloseAt", "remindersAvailableAt", "remindersCloseAt", "scripts.reminder");
    assertThat(status(admin, goal)).isEqualTo("DRAFT");
  }

  @Test
  void savingAScriptWithAnUnknownMergeFieldOrWithoutOptOutLanguageIsRefusedWithItsPosition() {
    String admin = Fixtures.admin(api, Fixtures.newOrg());
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    Map<String, Object> body = eventGoal();
    body.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <shirt size>!"))));

    ApiClient.Reply r = api.post("/groups/" + g + "/goals", admin, body);

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("errors").findValuesAsText("field")).containsOnly("scripts.initial[0].body");
    assertThat(r.json().path("errors").findValuesAsText("message")).anyMatch(m -> m.contains("position 3"))
        .anyMatch(m -> m.contains("opt-out"));

    // Once a contact carries the custom field, scripts may use it.
    api.post("/groups/" + g + "/contacts", admin, Map.of("contacts",
        List.of(Map.of("phone", "+15125550101", "customFields", Map.of("shirt size", "M")))));
    body.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi! Your <Shirt Size> shirt is ready. Reply STOP to opt out"))));
    assertThat(api.post("/groups/" + g + "/goals", admin, body).status()).isEqualTo(201);
  }

  @Test
  void afterLaunchTargetingRemindersAndTypeAreLockedAndTheGoalCannotBeDeleted() {
    api.freezeClock(NOW);
    String admin = Fixtures.admin(api, Fixtures.newOrg());
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String goal = api.post("/groups/" + g + "/goals", admin, eventGoal()).json().path("id").asText();
    api.post("/goals/" + goal + "/launch", admin, null);

    ApiClient.Reply r = api.patch("/goals/" + goal, admin, Map.of("type", "SHIFT", "remindersEnabled", true,
        "targeting", Map.of("tags", Map.of("hasAny", List.of("volunteer")))));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("type", "remindersEnabled", "targeting");
    assertThat(api.patch("/goals/" + goal, admin, Map.of("name", "Renamed")).status()).isEqualTo(200);
    ApiClient.Reply del = api.delete("/goals/" + goal, admin);
    assertThat(del.status()).isEqualTo(409);
    assertThat(del.json().path("type").asText()).endsWith("/goal-launched");

    String draft = api.post("/groups/" + g + "/goals", admin, eventGoal()).json().path("id").asText();
    assertThat(api.delete("/goals/" + draft, admin).status()).isEqualTo(204);
    assertThat(api.get("/goals/" + draft, admin).status()).isEqualTo(404);
  }

  @Test
  void theTargetingEstimateCountsMatchingContactsAndNeverOptedOutOnes() {
    String admin = Fixtures.admin(api, Fixtures.newOrg());
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    ApiClient.Reply imported = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", List.of(
        Map.of("phone", "+15125550101", "tags", List.of("volunteer"), "customFields", Map.of("county", "Travis")),
        Map.of("phone", "+15125550102", "tags", List.of("volunteer"), "customFields", Map.of("county", "Hays")),
        Map.of("phone", "+15125550103", "tags", List.of("volunteer"), "customFields", Map.of("county", "Travis"),
            "optedOut", true),
        Map.of("phone", "+15125550104", "tags", List.of("donor"), "customFields", Map.of("county", "Travis")))));
    assertThat(imported.json().path("created").asInt()).as(imported.text()).isEqualTo(4);
    Map<String, Object> body = eventGoal();
    body.put("targeting", Map.of("tags", Map.of("hasAll", List.of("volunteer")),
        "customFields", List.of(Map.of("field", "county", "op", "IS_ANY_OF", "values", List.of("Travis")))));
    String goal = api.post("/groups/" + g + "/goals", admin, body).json().path("id").asText();

    JsonNode estimate = api.get("/goals/" + goal + "/targeting/estimate", admin).json();

    assertThat(estimate.path("estimate").asInt()).isEqualTo(1);
    assertThat(estimate.path("contactsInGroup").asInt()).isEqualTo(4);
  }

  @Test
  void duplicatingAGoalThatTargetsGoalResultsIsRefused() {
    String admin = Fixtures.admin(api, Fixtures.newOrg());
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String first = api.post("/groups/" + g + "/goals", admin, eventGoal()).json().path("id").asText();
    Map<String, Object> body = eventGoal();
    body.put("targeting", Map.of("goalResults", List.of(Map.of("goalId", first, "result", "YES"))));
    String followUp = api.post("/groups/" + g + "/goals", admin, body).json().path("id").asText();

    ApiClient.Reply r = api.post("/goals/" + followUp + "/duplicate", admin, Map.of("destinationGroupIds", List.of(g)));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("type").asText()).endsWith("/duplicate-not-allowed");
    body.put("targeting", Map.of("goalResults", List.of(Map.of("goalId", "goal_nope", "result", "YES"))));
    assertThat(api.post("/groups/" + g + "/goals", admin, body).json().path("errors").get(0).path("field").asText())
        .isEqualTo("targeting.goalResults[0].goalId");
  }

  @Test
  void onlyAdminsAndTheGroupsManagersSeeGoals() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String goal = api.post("/groups/" + g + "/goals", admin, eventGoal()).json().path("id").asText();

    assertThat(api.get("/goals/" + goal, Fixtures.token(api, "mo", org, List.of("manager"), List.of(g))).status()).isEqualTo(200);
    assertThat(api.get("/goals/" + goal, Fixtures.token(api, "ari", org, List.of("agent"), List.of(g))).status()).isEqualTo(403);
    assertThat(api.get("/goals/" + goal, Fixtures.token(api, "zed", org, List.of("manager"), List.of("grp_other"))).status())
        .isEqualTo(403);
    assertThat(api.get("/goals/" + goal, Fixtures.admin(api, Fixtures.newOrg())).status()).isEqualTo(404);
  }

  private String status(String token, String goal) {
    return api.get("/goals/" + goal, token).json().path("status").asText();
  }
}
