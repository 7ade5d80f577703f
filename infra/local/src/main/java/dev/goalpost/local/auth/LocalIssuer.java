package dev.goalpost.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Stands in for Cognito: signs RS256 tokens with a key generated at start (so tokens never outlive the local
 * cloud that issued them), carrying the claims Goalpost's pre-token trigger adds in AWS ({@code org_id},
 * {@code roles}, {@code group_roles}: {@link PreTokenTrigger} runs that very trigger) or explicit ones.
 * Times come from the local clock, so moving it ages tokens too.
 */
public final class LocalIssuer {
  public static final String AUDIENCE = "goalpost-local";
  public static final Duration DEFAULT_TTL = Duration.ofHours(12);

  private final RSAKey key;
  private final String issuer;
  private final Clock clock;

  public LocalIssuer(String issuer, Clock clock) {
    this.issuer = issuer;
    this.clock = clock;
    try {
      this.key = new RSAKeyGenerator(2048).keyID("goalpost-local-" + UUID.randomUUID()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot generate the local signing key", e);
    }
  }

  public String issuer() {
    return issuer;
  }

  public RSAKey publicKey() {
    return key.toPublicJWK();
  }

  /**
   * Explicit claims, for tests and tools that want a token without stored memberships: {@code roles} (org-wide
   * "admin"; a group role here applies to each of {@code groups}) and {@code groupRoles} (group id to
   * "manager"/"agent"), and the display {@code name}. The token carries {@code roles} and {@code groups} as JSON
   * arrays, as given, and the {@code group_roles} string the functions authorize from ({@link #groupRolesClaim}).
   */
  public record TokenRequest(String userId, String orgId, List<String> roles, List<String> groups,
                             Map<String, String> groupRoles, String name, Duration ttl) {
    public TokenRequest(String userId, String orgId, List<String> roles, List<String> groups, String name,
                        Duration ttl) {
      this(userId, orgId, roles, groups, Map.of(), name, ttl);
    }

    public TokenRequest {
      roles = roles == null ? List.of() : List.copyOf(roles);
      groups = groups == null ? List.of() : List.copyOf(groups);
      groupRoles = groupRoles == null ? Map.of() : Map.copyOf(groupRoles);
      ttl = ttl == null ? DEFAULT_TTL : ttl;
    }

    public TokenRequest(String userId, String orgId, List<String> roles, List<String> groups, Duration ttl) {
      this(userId, orgId, roles, groups, Map.of(), null, ttl);
    }

    /**
     * "g1:manager g2:agent": {@code groupRoles}, plus the one group role of {@code roles} in each of {@code groups}.
     * Both manager and agent in {@code roles} with groups is ambiguous (it was the flat role set that let a
     * manager of one group manage all of the user's groups) and refused; use {@code groupRoles}.
     */
    public String groupRolesClaim() {
      List<String> groupRoleNames = roles.stream().map(r -> r.trim().toLowerCase(java.util.Locale.ROOT))
          .filter(r -> r.equals("manager") || r.equals("agent")).distinct().toList();
      if (groupRoleNames.size() > 1 && !groups.isEmpty()) {
        throw new IllegalArgumentException("name one group role (manager or agent) for the listed groups, or give "
            + "each group its role in groupRoles");
      }
      Map<String, String> all = new java.util.TreeMap<>();
      if (!groupRoleNames.isEmpty()) {
        groups.forEach(g -> all.put(g, groupRoleNames.getFirst()));
      }
      all.putAll(groupRoles);
      StringBuilder sb = new StringBuilder();
      all.forEach((g, r) -> sb.append(sb.isEmpty() ? "" : " ").append(g).append(':').append(r));
      return sb.toString();
    }

    /** The claims besides the registered ones. */
    public Map<String, Object> claims() {
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("org_id", orgId);
      claims.put("roles", roles);
      claims.put("groups", groups);
      claims.put("group_roles", groupRolesClaim());
      claims.put("name", name == null || name.isBlank() ? null : name);
      return claims;
    }
  }

  public String mint(TokenRequest request) {
    return mint(request.userId(), request.claims(), request.ttl());
  }

  /**
   * A token for {@code userId} with these claims besides the registered ones (iss, aud, sub, iat, exp, jti,
   * token_use); a null value leaves the claim out.
   */
  public String mint(String userId, Map<String, Object> claims, Duration ttl) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    claims.forEach((k, v) -> {
      if (v != null) {
        b.claim(k, v);
      }
    });
    b.issuer(issuer)
        .audience(AUDIENCE)
        .subject(userId)
        .claim("token_use", "id")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl == null ? DEFAULT_TTL : ttl)))
        .jwtID(UUID.randomUUID().toString());
    return sign(b.build(), key);
  }

  /** Signs arbitrary claims with {@code signingKey}; tests use it to forge tokens the authorizer must refuse. */
  public static String sign(JWTClaimsSet claims, RSAKey signingKey) {
    try {
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(new RSASSASigner(signingKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a local token", e);
    }
  }

  /** The private key, for tests that sign tokens with the right key but wrong claims. */
  public RSAKey signingKey() {
    return key;
  }
}
