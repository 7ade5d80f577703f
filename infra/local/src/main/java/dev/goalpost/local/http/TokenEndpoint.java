package dev.goalpost.local.http;

import dev.goalpost.local.auth.LocalIssuer;
import dev.goalpost.local.auth.PreTokenTrigger;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /_local/token} → {@code {"token"}}: the local stand-in for signing in through Cognito.
 *
 * <ul>
 *   <li>{@code {"userId", "orgId", "cognitoGroups"?: ["admins"], "name"?, "ttlSeconds"?}}: a sign-in. The
 *       template's Cognito pre-token trigger (TokenClaimsFunction) runs on the stored memberships, and the
 *       token carries exactly the claims it returns, as a deployed user pool's ID token would.</li>
 *   <li>{@code {"userId", "orgId", "roles": [], "groups": [], "groupRoles": {"g1": "manager"}, …}}: explicit
 *       claims, no lookup (any of the three makes the request explicit). {@code roles} names the org-wide
 *       {@code admin} and at most one group role, which applies to each of {@code groups}; {@code groupRoles}
 *       gives each group its own role.</li>
 * </ul>
 */
public final class TokenEndpoint {
  private static final int MAX_TTL_SECONDS = 366 * 24 * 3600;
  private final LocalIssuer issuer;
  private final PreTokenTrigger trigger;

  public TokenEndpoint(LocalIssuer issuer, PreTokenTrigger trigger) {
    this.issuer = issuer;
    this.trigger = trigger;
  }

  public OutgoingResponse handle(IncomingRequest req) {
    try {
      Violations v = new Violations();
      Fields f = LocalBodies.fields(req, v);
      f.allowOnly(Set.of("userId", "orgId", "roles", "groups", "groupRoles", "cognitoGroups", "name", "ttlSeconds"));
      String userId = f.requiredString("userId").orElse(null);
      String orgId = f.requiredString("orgId").orElse(null);
      boolean explicit = f.has("roles") || f.has("groups") || f.has("groupRoles");
      List<String> roles = f.strings("roles").orElse(List.of());
      List<String> groups = f.strings("groups").orElse(List.of());
      Map<String, String> groupRoles = f.stringMap("groupRoles").orElse(Map.of());
      groupRoles.forEach((g, r) -> {
        if (!r.equals("manager") && !r.equals("agent")) {
          v.add("groupRoles." + g, "must be 'manager' or 'agent' (admin is org-wide: use roles or cognitoGroups)");
        }
      });
      List<String> cognitoGroups = f.strings("cognitoGroups").orElse(List.of());
      if (explicit && f.has("cognitoGroups")) {
        v.add("cognitoGroups", "runs the pre-token trigger; it cannot be combined with explicit roles, groups or groupRoles");
      }
      String name = f.string("name").orElse(null);
      Integer ttl = f.integer("ttlSeconds", 1, MAX_TTL_SECONDS).orElse(null);
      LocalBodies.throwIfInvalid(v);
      Duration lifetime = ttl == null ? null : Duration.ofSeconds(ttl);
      String token;
      if (explicit) {
        LocalIssuer.TokenRequest request = new LocalIssuer.TokenRequest(userId, orgId, roles, groups, groupRoles,
            name, lifetime);
        Map<String, Object> claims;
        try {
          claims = request.claims();
        } catch (IllegalArgumentException e) {
          v.add("roles", e.getMessage());
          LocalBodies.throwIfInvalid(v);
          throw e;
        }
        token = issuer.mint(userId, claims, lifetime);
      } else {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (!cognitoGroups.isEmpty()) {
          claims.put("cognito:groups", cognitoGroups); // Cognito lists the user's groups in the ID token
        }
        if (name != null && !name.isBlank()) {
          claims.put("name", name); // Cognito's standard attribute, as the ID token carries it
        }
        claims.putAll(trigger.claims(userId, orgId, cognitoGroups));
        token = issuer.mint(userId, claims, lifetime);
      }
      return OutgoingResponse.json(200, Map.of("token", token));
    } catch (ApiException e) {
      return LocalBodies.problem(e);
    }
  }
}
