package dev.goalpost.local.http;

import dev.goalpost.local.auth.LocalIssuer;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /_local/token} {@code {"userId", "orgId", "roles": [], "groups": [], "name"?, "ttlSeconds"?}} →
 * {@code {"token"}}: the local stand-in for signing in through Cognito.
 */
public final class TokenEndpoint {
  private static final int MAX_TTL_SECONDS = 366 * 24 * 3600;
  private final LocalIssuer issuer;

  public TokenEndpoint(LocalIssuer issuer) {
    this.issuer = issuer;
  }

  public OutgoingResponse handle(IncomingRequest req) {
    try {
      Violations v = new Violations();
      Fields f = LocalBodies.fields(req, v);
      f.allowOnly(java.util.Set.of("userId", "orgId", "roles", "groups", "name", "ttlSeconds"));
      String userId = f.requiredString("userId").orElse(null);
      String orgId = f.requiredString("orgId").orElse(null);
      List<String> roles = f.strings("roles").orElse(List.of());
      List<String> groups = f.strings("groups").orElse(List.of());
      String name = f.string("name").orElse(null);
      Integer ttl = f.integer("ttlSeconds", 1, MAX_TTL_SECONDS).orElse(null);
      LocalBodies.throwIfInvalid(v);
      String token = issuer.mint(new LocalIssuer.TokenRequest(userId, orgId, roles, groups, name,
          ttl == null ? null : Duration.ofSeconds(ttl)));
      return OutgoingResponse.json(200, Map.of("token", token));
    } catch (ApiException e) {
      return LocalBodies.problem(e);
    }
  }
}
