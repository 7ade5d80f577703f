package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloudTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quiet hours in the contact's own time, end to end: an Eastern group with contacts in Eastern and Pacific
 * time (by their numbers' areas, and one by its {@code timeZone} field). At 09:00 in New York (06:00 in San
 * Francisco) claims hand out only Eastern contacts, the Pacific ones wait in the pool and the estimate and the
 * stats count them; once the local clock reaches 08:00 in San Francisco their batch is claimable. No sleeps:
 * the clock is moved.
 */
@LocalCloudTest
class HoursIT {
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  /** 09:00 in New York, 06:00 in San Francisco. */
  static final Instant EASTERN_ONLY = Instant.parse("2026-12-02T14:00:00Z");
  /** 08:00 in San Francisco. */
  static final Instant PACIFIC_OPENS = Instant.parse("2026-12-02T16:00:00Z");

  private final ApiClient api;

  HoursIT(ApiClient api) {
    this.api = api;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  private static String phone(String area) {
    return "+1" + area + "555" + String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
  }

  @Test
  void claimsHandOutOnlyContactsInsideTheirHoursAndThePacificOnesWaitInThePool() {
    api.freezeClock(LAUNCH);
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Brooklyn", "America/New_York");
    for (String a : List.of("ari", "bea")) {
      api.put("/groups/" + g + "/members/" + a, admin, Map.of("role", "agent"));
    }
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(Map.of("phone", phone("212"), "firstName", "East" + i));  // Manhattan
      rows.add(Map.of("phone", phone("415"), "firstName", "West" + i));  // San Francisco
    }
    // A New York number whose owner lives in Los Angeles (the field wins over the area), and a bad zone.
    rows.add(Map.of("phone", phone("212"), "firstName", "Moved", "timeZone", "america/los_angeles"));
    rows.add(Map.of("phone", phone("212"), "firstName", "Typo", "timeZone", "Pacific Time"));
    ApiClient.Reply imported = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows));
    assertThat(imported.status()).as(imported.text()).isEqualTo(200);
    assertThat(imported.json().path("invalid").asInt()).as(imported.text()).isEqualTo(1);
    JsonNode typo = imported.json().path("rows").get(9);
    assertThat(typo.path("status").asText()).isEqualTo("invalid");
    assertThat(typo.path("errors").get(0).path("field").asText()).isEqualTo("contacts[9].timeZone");
    Set<String> eastern = new HashSet<>();
    Set<String> pacific = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      String id = imported.json().path("rows").get(i).path("contactId").asText();
      (i % 2 == 0 && i < 8 ? eastern : pacific).add(id);
    }
    String moved = imported.json().path("rows").get(8).path("contactId").asText();
    JsonNode movedContact = api.get("/groups/" + g + "/contacts/" + moved, admin).json();
    assertThat(movedContact.path("timeZone").asText()).isEqualTo("America/Los_Angeles");

    String goal = launch(admin, g);
    api.freezeClock(EASTERN_ONLY);

    // The estimate: 9 targeted, the 5 Pacific ones outside their hours until 08:00 in San Francisco.
    JsonNode estimate = api.get("/goals/" + goal + "/targeting/estimate", admin).json();
    assertThat(estimate.path("estimate").asInt()).as(estimate.toString()).isEqualTo(9);
    JsonNode outside = estimate.path("outsideHoursNow");
    assertThat(outside.path("contacts").asInt()).as(estimate.toString()).isEqualTo(5);
    assertThat(outside.path("nextOpensAt").asText()).isEqualTo(PACIFIC_OPENS.toString());
    assertThat(outside.path("zones").get(0).path("zone").asText()).isEqualTo("America/Los_Angeles");

    // Ari's claim holds Eastern contacts only.
    String ari = Fixtures.token(api, "ari", org, List.of("agent"), List.of(g));
    ApiClient.Reply first = api.post("/goals/" + goal + "/workflows/initial/claim", ari, null);
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(contactIds(first.json())).containsExactlyInAnyOrderElementsOf(eastern);

    // Bea finds only the Pacific batch, outside its hours: 409 saying when it opens; it stays in the pool.
    String bea = Fixtures.token(api, "bea", org, List.of("agent"), List.of(g));
    ApiClient.Reply early = api.post("/goals/" + goal + "/workflows/initial/claim", bea, null);
    assertThat(early.status()).as(early.text()).isEqualTo(409);
    assertThat(early.json().path("type").asText()).endsWith("outside-hours");
    assertThat(early.json().path("detail").asText()).contains("America/Los_Angeles")
        .contains("opens at " + PACIFIC_OPENS);

    // Ari texts the Eastern batch meanwhile; the Pacific contacts are not touched.
    String script = api.get("/goals/" + goal, admin).json().path("scripts").path("initial").get(0).path("id").asText();
    for (JsonNode c : first.json().path("contacts")) {
      ApiClient.Reply sent = api.post("/threads/" + c.path("threadId").asText() + "/messages", ari,
          Map.of("batchId", first.json().path("batchId").asText(), "scriptId", script));
      assertThat(sent.status()).as(sent.text()).isEqualTo(201);
    }

    JsonNode stats = api.get("/goals/" + goal + "/stats", admin).json();
    assertThat(stats.path("targeted").asInt()).as(stats.toString()).isEqualTo(9);
    JsonNode waiting = stats.path("waitingForHours");
    assertThat(waiting.path("contacts").asInt()).as(stats.toString()).isEqualTo(5);
    assertThat(waiting.path("batches").asInt()).isEqualTo(1);
    assertThat(waiting.path("nextOpensAt").asText()).isEqualTo(PACIFIC_OPENS.toString());
    assertThat(stats.path("batches").path("available").asInt()).isEqualTo(1);

    // 08:00 in San Francisco: the Pacific batch is claimable, nothing waits any more.
    api.freezeClock(PACIFIC_OPENS);
    ApiClient.Reply later = api.post("/goals/" + goal + "/workflows/initial/claim", bea, null);
    assertThat(later.status()).as(later.text()).isEqualTo(200);
    assertThat(contactIds(later.json())).containsExactlyInAnyOrderElementsOf(pacific);
    JsonNode after = api.get("/goals/" + goal + "/stats", admin).json();
    assertThat(after.path("waitingForHours").path("contacts").asInt()).as(after.toString()).isZero();
    assertThat(api.get("/goals/" + goal + "/targeting/estimate", admin).json()
        .path("outsideHoursNow").path("contacts").asInt()).isZero();

    // Sends still check each contact as it is now: a contact who moved to Honolulu after the batch was cut
    // (06:00 there) is refused, naming the zone; the field can be forgotten again.
    ApiClient.Reply patched = api.patch("/groups/" + g + "/contacts/" + moved, admin, Map.of("timeZone", "Pacific/Honolulu"));
    assertThat(patched.status()).as(patched.text()).isEqualTo(200);
    assertThat(patched.json().path("timeZone").asText()).isEqualTo("Pacific/Honolulu");
    JsonNode batch = later.json();
    String thread = null;
    for (JsonNode c : batch.path("contacts")) {
      if (c.path("contactId").asText().equals(moved)) {
        thread = c.path("threadId").asText();
      }
    }
    ApiClient.Reply refused = api.post("/threads/" + thread + "/messages", bea,
        Map.of("batchId", batch.path("batchId").asText(), "scriptId", script));
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().path("type").asText()).endsWith("outside-hours");
    assertThat(refused.text()).contains("Pacific/Honolulu");
    ApiClient.Reply bad = api.patch("/groups/" + g + "/contacts/" + moved, admin, Map.of("timeZone", "HST"));
    assertThat(bad.status()).as(bad.text()).isEqualTo(422);
    assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("timeZone");
    ApiClient.Reply forgotten = api.patch("/groups/" + g + "/contacts/" + moved, admin, java.util.Collections.singletonMap("timeZone", null));
    assertThat(forgotten.status()).as(forgotten.text()).isEqualTo(200);
    assertThat(forgotten.json().path("timeZone").isNull()).isTrue();
  }

  private String launch(String admin, String g) {
    Map<String, Object> goal = new LinkedHashMap<>();
    goal.put("type", "EVENT");
    goal.put("name", "Rally");
    goal.put("eventStartAt", "2026-12-20T18:00");
    goal.put("workflowsAvailableAt", "2026-12-02T08:00");
    goal.put("workflowsCloseAt", "2026-12-20T12:00");
    goal.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name>! Rally soon. Reply STOP to opt out"))));
    ApiClient.Reply created = api.post("/groups/" + g + "/goals", admin, goal);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.json().path("id").asText();
    ApiClient.Reply launched = api.post("/goals/" + id + "/launch", admin, null);
    assertThat(launched.status()).as(launched.text()).isLessThan(300);
    return id;
  }

  private static List<String> contactIds(JsonNode claim) {
    List<String> out = new ArrayList<>();
    claim.path("contacts").forEach(c -> out.add(c.path("contactId").asText()));
    return out;
  }
}
