package dev.goalpost.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.platform.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds the demo org the way a user would: mints an admin token and calls the HTTP API (so the data passes
 * the same validation and authorization as real traffic). Idempotent: groups are looked up by name first,
 * memberships are PUTs and contacts are upserts by phone. Failures (e.g. a handler not written yet) are
 * reported and the rest continues.
 */
public final class DemoSeeder {
  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static final String ORG = DemoData.ORG;

  /** The demo people, as the web console's local sign-in offers them. */
  public static List<dev.goalpost.local.http.WebConsole.DemoUser> consoleUsers() {
    List<dev.goalpost.local.http.WebConsole.DemoUser> out = new java.util.ArrayList<>();
    java.util.function.BiConsumer<String, String> add = (id, label) -> out.add(
        new dev.goalpost.local.http.WebConsole.DemoUser(id, DemoData.NAMES.get(id), label, id.equals(DemoData.ADMIN)));
    add.accept(DemoData.ADMIN, "org admin");
    add.accept(DemoData.MANAGER, "manager of Austin");
    DemoData.AUSTIN_AGENTS.forEach(a -> add.accept(a, "agent in Austin"));
    DemoData.BROOKLYN_AGENTS.forEach(a -> add.accept(a, "agent in Brooklyn"));
    return out;
  }

  public DemoSeeder(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  private record Reply(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** What seeding produced: group ids by name, a token per demo user, and any step that failed. */
  public record Seeded(Map<String, String> groupIds, String adminToken, String managerToken, String agentToken,
                       List<String> warnings) {}

  public void seedAndPrint(PrintStream out) {
    Seeded s = seed(out);
    printSummary(out, s);
  }

  public Seeded seed(PrintStream out) {
    List<String> warnings = new java.util.ArrayList<>();
    String admin = signIn(DemoData.ADMIN, List.of("admins"));
    Map<String, String> groupIds = new LinkedHashMap<>();
    for (int i = 0; i < DemoData.GROUPS.size(); i++) {
      DemoData.GroupSeed g = DemoData.GROUPS.get(i);
      String id = findOrCreateGroup(g, admin, out, warnings);
      if (id == null) {
        continue;
      }
      groupIds.put(g.name(), id);
      if (g.name().equals("Austin")) {
        member(id, DemoData.MANAGER, "manager", admin, out, warnings);
      }
      for (String agent : g.agents()) {
        member(id, agent, "agent", admin, out, warnings);
      }
      Reply r = call("POST", "/groups/" + id + "/contacts", admin, Map.of("contacts", DemoData.contacts(g, i)));
      report(out, "import " + DemoData.CONTACTS_PER_GROUP + " contacts into " + g.name(), r, warnings);
    }
    // Signed in after the memberships exist: the pre-token trigger puts each user's role per group in the token.
    String manager = signIn(DemoData.MANAGER, List.of());
    String agent = signIn(DemoData.AUSTIN_AGENTS.getFirst(), List.of());
    return new Seeded(groupIds, admin, manager, agent, List.copyOf(warnings));
  }

  private String findOrCreateGroup(DemoData.GroupSeed g, String admin, PrintStream out, List<String> warnings) {
    String cursor = null;
    do {
      Reply page = call("GET", "/groups" + (cursor == null ? "" : "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), admin, null);
      if (!page.ok()) {
        report(out, "list groups", page, warnings);
        break;
      }
      for (JsonNode item : page.body().path("items")) {
        if (g.name().equals(item.path("name").asText())) {
          return item.path("id").asText();
        }
      }
      JsonNode next = page.body().path("nextCursor");
      cursor = next.isTextual() && !next.asText().isBlank() ? next.asText() : null;
    } while (cursor != null);
    Reply created = call("POST", "/groups", admin, DemoData.groupBody(g));
    report(out, "create group " + g.name(), created, warnings);
    return created.ok() ? created.body().path("id").asText(null) : null;
  }

  private void member(String groupId, String userId, String role, String admin, PrintStream out, List<String> warnings) {
    Reply r = call("PUT", "/groups/" + groupId + "/members/" + userId, admin, Map.of("role", role));
    if (!r.ok()) {
      report(out, "add " + userId + " as " + role, r, warnings);
    }
  }

  private static void report(PrintStream out, String what, Reply r, List<String> warnings) {
    if (r.ok()) {
      out.println("  seeded: " + what + " (" + r.status() + ")");
    } else {
      String warning = what + " failed with " + r.status() + ": " + r.body();
      warnings.add(warning);
      out.println("  WARNING: " + warning + " (is its function implemented yet? see the log above)");
    }
  }

  /**
   * Demo tokens last the whole demo period ({@link #DEMO_TOKEN_TTL_SECONDS} of local-clock time from now), so
   * the tour's clock moves (nine days ahead, and back) never invalidate them; tokens minted by hand keep the
   * issuer's 12-hour default.
   */
  static final int DEMO_TOKEN_TTL_SECONDS = 366 * 24 * 3600;

  /** Signs in as Cognito would: the template's pre-token trigger reads the stored memberships. */
  private String signIn(String userId, List<String> cognitoGroups) {
    Map<String, Object> body = new LinkedHashMap<>(Map.of("userId", userId, "orgId", DemoData.ORG,
        "cognitoGroups", cognitoGroups, "ttlSeconds", DEMO_TOKEN_TTL_SECONDS));
    if (DemoData.NAMES.get(userId) != null) {
      body.put("name", DemoData.NAMES.get(userId));
    }
    Reply r = call("POST", "/_local/token", null, body);
    if (!r.ok()) {
      throw new IllegalStateException("The local token issuer refused: " + r.body());
    }
    return r.body().path("token").asText();
  }

  private Reply call(String method, String path, String token, Object body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = resp.body().isBlank() ? Json.MAPPER.nullNode() : parse(resp.body());
      return new Reply(resp.statusCode(), json);
    } catch (IOException e) {
      return new Reply(0, Json.MAPPER.getNodeFactory().textNode(e.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(0, Json.MAPPER.getNodeFactory().textNode("interrupted"));
    }
  }

  private static JsonNode parse(String text) {
    try {
      return Json.read(text);
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(text);
    }
  }

  private void printSummary(PrintStream out, Seeded s) {
    String u = baseUrl;
    String austin = s.groupIds().getOrDefault("Austin", "<austin-group-id>");
    String brooklyn = s.groupIds().getOrDefault("Brooklyn", "<brooklyn-group-id>");
    out.printf("""

        ================================================================ Goalpost local cloud
        Console: %s/  (open it in a browser; sign in as admin-ana or agent-ari)
        Paste these into your shell (the README's tour uses them; tokens stay valid for 366 days of
        local-clock time, so moving the clock does not sign you out):
          export API=%s
          export AUSTIN=%s BROOKLYN=%s
          export ADMIN=%s
          export MANAGER=%s
          export AGENT=%s
        (admin-ana, Ana Alvarez: org admin; manager-mo, Mo Okafor: manages Austin;
         agent-ari, Ari Romero: agent in Austin)

        Try:
          curl -s $API/groups -H "authorization: Bearer $ADMIN"
          curl -s "$API/groups/$AUSTIN/contacts?limit=3" -H "authorization: Bearer $AGENT"
          curl -s -X POST $API/groups -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \\
            -d '{"name":"Chicago","timeZone":"America/Chicago","phoneNumbers":["+13125550100"],"hoursOfOperation":{"start":"09:00","end":"21:00"}}'
          curl -s -X POST $API/groups/$AUSTIN/contacts -H "authorization: Bearer $MANAGER" -H 'content-type: application/json' \\
            -d '{"contacts":[{"phone":"+15125550198","firstName":"Pat","lastName":"Lee","tags":["volunteer"],"customFields":{"county":"Travis"}}]}'
          curl -s -X POST $API/_local/token -d '{"userId":"admin-zed","orgId":"org-other","roles":["admin"]}'
          curl -s -X POST $API/_local/clock -d '{"advance":"PT61M"}'
        Ctrl-C stops everything (the emulator too).
        ====================================================================================
        """, u, u, austin, brooklyn, s.adminToken(), s.managerToken(), s.agentToken());
  }
}
