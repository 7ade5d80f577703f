package dev.goalpost.it;

import dev.goalpost.local.ApiClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** A fresh org per test (so tests never see each other's data) and helpers to set one up over HTTP. */
final class Fixtures {
  private Fixtures() {}

  static String newOrg() {
    return "org-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A valid, random US number: group numbers are unique across every org of the deployment. */
  static String randomNumber() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "+1512" + (2 + r.nextInt(8)) + String.format("%06d", r.nextInt(1_000_000));
  }

  /** Tests move the local clock by weeks; their tokens must outlive that. */
  static final java.time.Duration TOKEN_TTL = java.time.Duration.ofDays(365);

  /** An org admin, signed in through the template's pre-token trigger (a member of the Cognito group admins). */
  static String admin(ApiClient api, String org) {
    return api.signIn("admin-" + org, org, TOKEN_TTL, "admins");
  }

  /** Makes {@code user} a {@code role} of {@code group} (as the admin), then signs them in on their memberships. */
  static String member(ApiClient api, String adminToken, String org, String group, String user, String role) {
    ApiClient.Reply r = api.put("/groups/" + group + "/members/" + user, adminToken, Map.of("role", role));
    if (r.status() != 200) {
      throw new IllegalStateException("member not added: " + r.status() + " " + r.text());
    }
    return api.signIn(user, org, TOKEN_TTL);
  }

  static String token(ApiClient api, String user, String org, List<String> roles, List<String> groups) {
    return api.token(user, org, roles, groups, TOKEN_TTL);
  }

  /** A group in America/Chicago with the given number. */
  static String createGroupWith(ApiClient api, String adminToken, String number) {
    ApiClient.Reply r = api.post("/groups", adminToken,
        Map.of("name", "Austin", "timeZone", "America/Chicago", "phoneNumbers", List.of(number)));
    if (r.status() != 201) {
      throw new IllegalStateException("group not created: " + r.status() + " " + r.text());
    }
    return r.json().path("id").asText();
  }

  static String createGroup(ApiClient api, String adminToken, String name, String zone) {
    ApiClient.Reply r = api.post("/groups", adminToken,
        Map.of("name", name, "timeZone", zone, "phoneNumbers", List.of(randomNumber())));
    if (r.status() != 201) {
      throw new IllegalStateException("group not created: " + r.status() + " " + r.text());
    }
    return r.json().path("id").asText();
  }
}
