package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloudTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Groups and members over HTTP, through the emulated authorizer, against the emulator. */
@LocalCloudTest
class GroupsIT {
  private final ApiClient api;

  GroupsIT(ApiClient api) {
    this.api = api;
  }

  @Test
  void anAdminCreatesAGroupWithDefaultsAndReadsItBack() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();

    ApiClient.Reply created = api.post("/groups", admin,
        Map.of("name", "Austin", "timeZone", "America/Chicago", "phoneNumbers", List.of(number)));

    assertThat(created.status()).isEqualTo(201);
    JsonNode g = created.json();
    assertThat(g.path("id").asText()).startsWith("grp_");
    assertThat(g.path("hoursOfOperation").path("start").asText()).isEqualTo("08:00");
    assertThat(g.path("hoursOfOperation").path("end").asText()).isEqualTo("20:00");
    assertThat(g.path("phoneNumbers").get(0).asText()).isEqualTo(number);
    ApiClient.Reply read = api.get("/groups/" + g.path("id").asText(), admin);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("name").asText()).isEqualTo("Austin");
    assertThat(api.get("/groups", admin).json().path("items")).hasSize(1);
  }

  @Test
  void invalidSettingsAreRefusedWithProblemJsonNamingEachField() {
    String admin = Fixtures.admin(api, Fixtures.newOrg());

    ApiClient.Reply r = api.post("/groups", admin, Map.of("name", "X", "timeZone", "Mars/Base",
        "phoneNumbers", List.of("555"), "hoursOfOperation", Map.of("start", "21:00", "end", "09:00")));

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    assertThat(r.json().path("type").asText()).endsWith("/validation-failed");
    assertThat(r.json().path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("timeZone", "phoneNumbers[0]", "hoursOfOperation.end");
  }

  @Test
  void malformedJsonIsA400NotA500() {
    String admin = Fixtures.admin(api, Fixtures.newOrg());
    ApiClient.Reply r = api.raw("POST", "/groups", Map.of("authorization", "Bearer " + admin,
        "content-type", "application/json"), "{\"name\":".getBytes());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("type").asText()).endsWith("/malformed-request");
  }

  @Test
  void anotherOrgSeesNothingOfAGroupAndCannotTakeItsNumber() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String number = Fixtures.randomNumber();
    String groupId = api.post("/groups", admin, Map.of("name", "Austin", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number))).json().path("id").asText();
    String other = Fixtures.admin(api, Fixtures.newOrg());

    assertThat(api.get("/groups", other).json().path("items")).isEmpty();
    assertThat(api.get("/groups/" + groupId, other).status()).isEqualTo(404);
    assertThat(api.patch("/groups/" + groupId, other, Map.of("name", "Mine")).status()).isEqualTo(404);
    assertThat(api.get("/groups/" + groupId + "/contacts", other).status()).isEqualTo(404);
    ApiClient.Reply steal = api.post("/groups", other, Map.of("name", "Copy", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number)));
    // Issue 13.11: the refusal is the one a number off the operator's allow-list gets; it names no org or group.
    assertThat(steal.status()).isEqualTo(409);
    assertThat(steal.json().path("type").asText()).endsWith("/phone-number-unavailable");
    assertThat(steal.json().path("detail").asText())
        .isEqualTo(dev.goalpost.groups.GroupRepository.unavailable(number).getMessage())
        .doesNotContain(org).doesNotContain(groupId).doesNotContain("another group");
    assertThat(api.get("/groups/" + groupId, admin).json().path("name").asText()).isEqualTo("Austin");
    // Inside the org the admin learns the number is another group's.
    ApiClient.Reply twice = api.post("/groups", admin, Map.of("name", "Copy", "timeZone", "America/Chicago",
        "phoneNumbers", List.of(number)));
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().path("type").asText()).endsWith("/phone-number-taken");
  }

  @Test
  void managersManageTheirGroupsAndAgentsOnlyRead() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String austin = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String brooklyn = Fixtures.createGroup(api, admin, "Brooklyn", "America/New_York");
    String manager = Fixtures.token(api, "mo", org, List.of("manager"), List.of(austin));
    String agent = Fixtures.token(api, "ari", org, List.of("agent"), List.of(austin));

    assertThat(api.patch("/groups/" + austin, manager, Map.of("dailySegmentCap", 40000)).json()
        .path("dailySegmentCap").asInt()).isEqualTo(40000);
    assertThat(api.patch("/groups/" + brooklyn, manager, Map.of("dailySegmentCap", 1)).status()).isEqualTo(403);
    assertThat(api.patch("/groups/" + austin, agent, Map.of("dailySegmentCap", 1)).status()).isEqualTo(403);
    assertThat(api.get("/groups/" + austin, agent).status()).isEqualTo(200);
    assertThat(api.get("/groups/" + brooklyn, agent).status()).isEqualTo(403);
    assertThat(api.get("/groups", agent).json().path("items").findValuesAsText("id")).containsExactly(austin);
    assertThat(api.post("/groups", manager, Map.of("name", "N", "timeZone", "UTC",
        "phoneNumbers", List.of(Fixtures.randomNumber()))).status()).isEqualTo(403);
  }

  @Test
  void movingAGroupToANewNumberFreesTheOldOne() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String first = Fixtures.randomNumber();
    String second = Fixtures.randomNumber();
    String groupId = api.post("/groups", admin, Map.of("name", "A", "timeZone", "UTC",
        "phoneNumbers", List.of(first))).json().path("id").asText();

    assertThat(api.patch("/groups/" + groupId, admin, Map.of("phoneNumbers", List.of(second))).status()).isEqualTo(200);

    assertThat(api.post("/groups", admin, Map.of("name", "B", "timeZone", "UTC",
        "phoneNumbers", List.of(first))).status()).isEqualTo(201);
    assertThat(api.post("/groups", admin, Map.of("name", "C", "timeZone", "UTC",
        "phoneNumbers", List.of(second))).status()).isEqualTo(409);
  }

  @Test
  void membersAreAddedListedAndRemovedAndManagersCannotMakeManagers() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String groupId = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String manager = Fixtures.token(api, "mo", org, List.of("manager"), List.of(groupId));

    assertThat(api.put("/groups/" + groupId + "/members/mo", admin, Map.of("role", "manager")).status()).isEqualTo(200);
    assertThat(api.put("/groups/" + groupId + "/members/ari", manager, Map.of("role", "agent")).status()).isEqualTo(200);
    assertThat(api.put("/groups/" + groupId + "/members/bea", manager, Map.of("role", "manager")).status()).isEqualTo(403);
    assertThat(api.put("/groups/" + groupId + "/members/bea", admin, Map.of("role", "boss")).json()
        .path("errors").findValuesAsText("field")).containsExactly("role");
    assertThat(api.get("/groups/" + groupId + "/members", admin).json().path("items").findValuesAsText("userId"))
        .containsExactlyInAnyOrder("mo", "ari");

    assertThat(api.delete("/groups/" + groupId + "/members/ari", manager).status()).isEqualTo(204);
    assertThat(api.delete("/groups/" + groupId + "/members/mo", manager).status()).isEqualTo(403);
    assertThat(api.get("/groups/" + groupId + "/members", admin).json().path("items").findValuesAsText("userId"))
        .containsExactly("mo");
    assertThat(api.put("/groups/grp_missing/members/x", admin, Map.of("role", "agent")).status()).isEqualTo(404);
  }
}
