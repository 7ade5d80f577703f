package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Roles are per group: a manager of one group who is an agent of another manages only the first. Tokens come
 * from {@code POST /_local/token} with only userId and orgId, so the template's real pre-token trigger
 * (TokenClaimsFunction) reads the stored memberships, exactly as Cognito's sign-in would.
 */
@LocalCloudTest
class GroupRolesIT {
  static final Instant NOW = Instant.parse("2026-12-01T15:00:00Z");
  private final ApiClient api;
  private final LocalCloud cloud;

  GroupRolesIT(ApiClient api, LocalCloud cloud) {
    this.api = api;
    this.cloud = cloud;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  private static Map<String, Object> draftGoal() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "EVENT");
    body.put("name", "Winter rally");
    body.put("eventStartAt", "2026-12-20T18:00");
    body.put("workflowsAvailableAt", "2026-12-10T09:00");
    body.put("workflowsCloseAt", "2026-12-20T12:00");
    body.put("scripts", Map.of("initial", List.of(Map.of("body", "Hi <first name|friend>! Reply STOP to opt out"))));
    return body;
  }

  private static Map<String, Object> contacts() {
    return Map.of("contacts", List.of(Map.of("phone", Fixtures.randomNumber(), "firstName", "Ana")));
  }

  static Map<String, Object> claims(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getClaims();
  }

  @Test
  void aSignInCarriesTheRoleOfEachStoredMembershipAndNothingMore() throws Exception {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String a = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String b = Fixtures.createGroup(api, admin, "Brooklyn", "America/New_York");
    Fixtures.member(api, admin, org, a, "mo", "manager");
    String mo = Fixtures.member(api, admin, org, b, "mo", "agent");

    Map<String, Object> c = claims(mo);
    String expected = a.compareTo(b) < 0 ? a + ":manager " + b + ":agent" : b + ":agent " + a + ":manager";
    assertThat(c).containsEntry("sub", "mo").containsEntry("org_id", org).containsEntry("roles", "")
        .containsEntry("group_roles", expected);
    assertThat(c).doesNotContainKeys("groups", "cognito:groups");

    // An admin is an admin by the Cognito group, not by memberships; a user with none gets no group rights.
    assertThat(claims(admin)).containsEntry("roles", "admin").containsEntry("group_roles", "");
    String nobody = api.signIn("nobody", org, Fixtures.TOKEN_TTL);
    assertThat(claims(nobody)).containsEntry("group_roles", "");
    assertThat(api.get("/groups/" + a, nobody).status()).isEqualTo(403);
    // Memberships are read per org: the same user id in another org has none of these.
    assertThat(claims(api.signIn("mo", Fixtures.newOrg(), Fixtures.TOKEN_TTL))).containsEntry("group_roles", "");
  }

  @Test
  void aManagerOfOneGroupWhoIsAnAgentOfAnotherCannotManageTheOther() {
    api.freezeClock(NOW);
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String a = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String b = Fixtures.createGroup(api, admin, "Brooklyn", "America/New_York");
    Fixtures.member(api, admin, org, a, "mo", "manager");
    String mo = Fixtures.member(api, admin, org, b, "mo", "agent");
    String goalB = api.post("/groups/" + b + "/goals", admin, draftGoal()).json().path("id").asText();

    // In B, where mo is an agent: no settings, goals, imports, members, review or stats.
    assertThat(api.patch("/groups/" + b, mo, Map.of("name", "Mine")).status()).isEqualTo(403);
    assertThat(api.post("/groups/" + b + "/goals", mo, draftGoal()).status()).isEqualTo(403);
    assertThat(api.get("/groups/" + b + "/goals", mo).status()).isEqualTo(403);
    assertThat(api.patch("/goals/" + goalB, mo, Map.of("name", "Mine")).status()).isEqualTo(403);
    assertThat(api.post("/goals/" + goalB + "/launch", mo, Map.of()).status()).isEqualTo(403);
    assertThat(api.get("/goals/" + goalB + "/stats", mo).status()).isEqualTo(403);
    ApiClient.Reply importB = api.post("/groups/" + b + "/contacts", mo, contacts());
    assertThat(importB.status()).isEqualTo(403);
    assertThat(importB.json().path("detail").asText()).contains("your role in it is agent");
    assertThat(api.put("/groups/" + b + "/members/ari", mo, Map.of("role", "agent")).status()).isEqualTo(403);
    assertThat(api.get("/groups/" + b + "/conversations?agentId=ari", mo).status()).isEqualTo(403);
    // … but an agent of B still reads B and its contacts.
    assertThat(api.get("/groups/" + b, mo).status()).isEqualTo(200);
    assertThat(api.get("/groups/" + b + "/contacts", mo).status()).isEqualTo(200);

    // In A, where mo is a manager: all of it.
    assertThat(api.patch("/groups/" + a, mo, Map.of("name", "Austin TX")).status()).isEqualTo(200);
    ApiClient.Reply goalA = api.post("/groups/" + a + "/goals", mo, draftGoal());
    assertThat(goalA.status()).as(goalA.text()).isEqualTo(201);
    assertThat(api.get("/goals/" + goalA.json().path("id").asText() + "/stats", mo).status()).isEqualTo(200);
    assertThat(api.post("/groups/" + a + "/contacts", mo, contacts()).status()).isEqualTo(200);
    assertThat(api.put("/groups/" + a + "/members/ari", mo, Map.of("role", "agent")).status()).isEqualTo(200);
    assertThat(api.get("/groups/" + a + "/conversations?agentId=ari", mo).status()).isEqualTo(200);

    // Duplicating A's goal into B needs B's management too.
    ApiClient.Reply dup = api.post("/goals/" + goalA.json().path("id").asText() + "/duplicate", mo,
        Map.of("destinationGroupIds", List.of(b)));
    assertThat(dup.status()).as(dup.text()).isEqualTo(403);
  }

  @Test
  void explicitClaimsStayPossibleButOneFlatRoleSetForSeveralGroupsIsRefused() throws Exception {
    String org = Fixtures.newOrg();
    Map<String, Object> mixed = Map.of("userId", "mo", "orgId", org, "roles", List.of("manager", "agent"),
        "groups", List.of("grp_a", "grp_b"));
    ApiClient.Reply refused = api.post("/_local/token", null, mixed);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("roles");

    ApiClient.Reply explicit = api.post("/_local/token", null, Map.of("userId", "mo", "orgId", org,
        "groupRoles", Map.of("grp_a", "manager", "grp_b", "agent")));
    assertThat(explicit.status()).isEqualTo(200);
    assertThat(claims(explicit.json().path("token").asText())).containsEntry("group_roles", "grp_a:manager grp_b:agent");
    ApiClient.Reply badRole = api.post("/_local/token", null, Map.of("userId", "mo", "orgId", org,
        "groupRoles", Map.of("grp_a", "admin")));
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.json().path("errors").get(0).path("field").asText()).isEqualTo("groupRoles.grp_a");
  }

  /** Item 13: the unread claim used to write the goal's ticket before it checked the caller's group. */
  @Test
  void anUnreadClaimFromOutsideTheGoalsGroupIsRefusedBeforeAnythingIsWritten() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String a = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    String b = Fixtures.createGroup(api, admin, "Brooklyn", "America/New_York");
    String goalA = api.post("/groups/" + a + "/goals", admin, draftGoal()).json().path("id").asText();
    String agentOfB = Fixtures.member(api, admin, org, b, "bea", "agent");
    String nobody = api.signIn("nobody", org, Fixtures.TOKEN_TTL);

    ApiClient.Reply fromB = api.post("/goals/" + goalA + "/workflows/unread/claim", agentOfB, Map.of());
    ApiClient.Reply fromNoGroup = api.post("/goals/" + goalA + "/workflows/unread/claim", nobody, Map.of());

    assertThat(fromB.status()).as(fromB.text()).isEqualTo(403);
    assertThat(fromNoGroup.status()).as(fromNoGroup.text()).isEqualTo(403);
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    var goalItem = cloud.clients().dynamo().getItem(r -> r.tableName(table).consistentRead(true)
        .key(dev.goalpost.goals.GoalRepository.goalKey(org, goalA))).item();
    assertThat(goalItem).containsKey("groupId").doesNotContainKeys("unreadTicket", "unreadTicketAt", "unreadTicketBy");
    assertThat(api.post("/goals/goal_missing/workflows/unread/claim", agentOfB, Map.of()).status()).isEqualTo(404);
    // A member of the goal's group gets past authorization (to the workflow's state: a draft is not open).
    String agentOfA = Fixtures.member(api, admin, org, a, "ari", "agent");
    assertThat(api.post("/goals/" + goalA + "/workflows/unread/claim", agentOfA, Map.of()).status()).isEqualTo(409);
  }
}
