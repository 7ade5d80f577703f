package dev.goalpost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.local.ApiClient;
import dev.goalpost.local.LocalCloudTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bulk upsert, search and edits of contacts over HTTP. */
@LocalCloudTest
class ContactsIT {
  private final ApiClient api;

  ContactsIT(ApiClient api) {
    this.api = api;
  }

  private static Map<String, Object> contact(String phone, String first, List<String> tags) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("phone", phone);
    c.put("firstName", first);
    c.put("tags", tags);
    return c;
  }

  @Test
  void aBulkUpsertReportsEveryRowAndStoresTheValidOnes() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    List<Object> rows = List.of(
        Map.of("phone", "(512) 555-0101", "firstName", "Ana", "customFields", Map.of("county", "Travis"),
            "tags", List.of("volunteer")),
        Map.of("phone", "+15125550102", "firstName", "Ben", "assignedAgentId", "ari"),
        Map.of("phone", "512.555.0101", "firstName", "Ana again"),
        Map.of("phone", "12", "firstName", "Bad"),
        Map.of("phone", "+15125550103", "assignedAgentId", "nobody"),
        "not an object");

    ApiClient.Reply r = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows));

    assertThat(r.status()).isEqualTo(200);
    JsonNode out = r.json();
    assertThat(out.path("created").asInt()).isEqualTo(2);
    assertThat(out.path("duplicates").asInt()).isEqualTo(1);
    assertThat(out.path("invalid").asInt()).isEqualTo(3);
    JsonNode results = out.path("rows");
    assertThat(results.get(0).path("phone").asText()).isEqualTo("+15125550101");
    assertThat(results.get(2).path("status").asText()).isEqualTo("duplicate");
    assertThat(results.get(2).path("duplicateOf").asInt()).isEqualTo(0);
    assertThat(results.get(3).path("errors").get(0).path("field").asText()).isEqualTo("contacts[3].phone");
    assertThat(results.get(4).path("errors").get(0).path("field").asText()).isEqualTo("contacts[4].assignedAgentId");
    assertThat(results.get(5).path("errors").get(0).path("field").asText()).isEqualTo("contacts[5]");

    ApiClient.Reply again = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts",
        List.of(Map.of("phone", "+1 512 555 0101", "lastName", "Diaz"))));
    assertThat(again.json().path("updated").asInt()).isEqualTo(1);
    JsonNode ana = api.get("/groups/" + g + "/contacts/" + results.get(0).path("contactId").asText(), admin).json();
    assertThat(ana.path("firstName").asText()).isEqualTo("Ana");
    assertThat(ana.path("lastName").asText()).isEqualTo("Diaz");
    assertThat(ana.path("customFields").path("county").asText()).isEqualTo("Travis");
  }

  @Test
  void requestsOverTheBulkLimitAreRefusedWhole() {
    String admin = Fixtures.admin(api, Fixtures.newOrg());
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      rows.add(Map.of("phone", "+1512555" + String.format("%04d", i)));
    }
    ApiClient.Reply r = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("contacts");
    assertThat(api.get("/groups/" + g + "/contacts", admin).json().path("items")).isEmpty();
  }

  @Test
  void listsFilterByTagAgentAndTextAndPageWithCursorsWithoutLosingAnyone() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      Map<String, Object> c = contact("+1512555" + String.format("%04d", 1000 + i), "Person" + i,
          i % 5 == 0 ? List.of("volunteer") : List.of("donor"));
      if (i % 10 == 0) {
        c.put("assignedAgentId", "ari");
      }
      rows.add(c);
    }
    rows.add(Map.of("phone", "+15125559999", "firstName", "Ana", "lastName", "Díaz"));
    assertThat(api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", rows)).json()
        .path("created").asInt()).isEqualTo(251);

    assertThat(allPages(admin, "/groups/" + g + "/contacts?limit=100")).hasSize(251);
    assertThat(allPages(admin, "/groups/" + g + "/contacts?limit=7&tag=volunteer")).hasSize(50);
    assertThat(allPages(admin, "/groups/" + g + "/contacts?limit=10&assignedAgentId=ari")).hasSize(25);
    List<JsonNode> found = allPages(admin, "/groups/" + g + "/contacts?q=ANA%20d%C3%AD");
    assertThat(found).extracting(n -> n.path("phone").asText()).containsExactly("+15125559999");
    ApiClient.Reply forged = api.get("/groups/" + g + "/contacts?cursor=garbage", admin);
    assertThat(forged.status()).isEqualTo(422);
    assertThat(forged.json().path("errors").get(0).path("field").asText()).isEqualTo("cursor");
  }

  private List<JsonNode> allPages(String token, String path) {
    List<JsonNode> all = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      String url = path + (cursor == null ? "" : (path.contains("?") ? "&" : "?") + "cursor=" + cursor);
      ApiClient.Reply r = api.get(url, token);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      r.json().path("items").forEach(n -> {
        assertThat(ids.add(n.path("id").asText())).as("listed twice: " + n).isTrue();
        all.add(n);
      });
      cursor = r.json().path("nextCursor").isNull() ? null : r.json().path("nextCursor").asText();
      assertThat(++pages).isLessThan(100);
    } while (cursor != null);
    return all;
  }

  @Test
  void aPatchEditsTagsFieldsAndAssignmentAndRefusesStrangers() {
    String org = Fixtures.newOrg();
    String admin = Fixtures.admin(api, org);
    String g = Fixtures.createGroup(api, admin, "Austin", "America/Chicago");
    api.put("/groups/" + g + "/members/ari", admin, Map.of("role", "agent"));
    String id = api.post("/groups/" + g + "/contacts", admin, Map.of("contacts", List.of(
            Map.of("phone", "+15125550101", "tags", List.of("a", "b"), "assignedAgentId", "ari",
                "customFields", Map.of("county", "Travis", "shirt", "M")))))
        .json().path("rows").get(0).path("contactId").asText();
    String path = "/groups/" + g + "/contacts/" + id;
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("addTags", List.of("c"));
    patch.put("removeTags", List.of("a"));
    patch.put("customFields", Map.of("shirt", ""));
    patch.put("assignedAgentId", null);
    patch.put("deactivated", true);

    JsonNode c = api.patch(path, admin, patch).json();

    assertThat(List.of(c.path("tags").get(0).asText(), c.path("tags").get(1).asText())).containsExactly("b", "c");
    assertThat(c.path("customFields").has("shirt")).isFalse();
    assertThat(c.path("customFields").path("county").asText()).isEqualTo("Travis");
    assertThat(c.path("assignedAgentId").isNull()).isTrue();
    assertThat(c.path("deactivated").asBoolean()).isTrue();
    assertThat(allPages(admin, "/groups/" + g + "/contacts?assignedAgentId=ari")).isEmpty();

    String agent = Fixtures.token(api, "ari", org, List.of("agent"), List.of(g));
    assertThat(api.get(path, agent).status()).isEqualTo(200);
    assertThat(api.patch(path, agent, Map.of("tags", List.of())).status()).isEqualTo(403);
    assertThat(api.patch(path, admin, Map.of("assignedAgentId", "ghost")).json().path("errors").get(0)
        .path("field").asText()).isEqualTo("assignedAgentId");
    assertThat(api.patch("/groups/" + g + "/contacts/ct_missing", admin, Map.of("firstName", "X")).status())
        .isEqualTo(404);
    assertThat(api.get(path, Fixtures.admin(api, Fixtures.newOrg())).status()).isEqualTo(404);
  }
}
