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
import java.util.List;
import java.util.UUID;

/**
 * Stands in for Cognito: signs RS256 tokens with a key generated at start (so tokens never outlive the local
 * cloud that issued them), carrying the claims Goalpost's pre-token trigger adds in AWS: {@code org_id},
 * {@code roles}, {@code groups}. Times come from the local clock, so moving it ages tokens too.
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

  /** What a caller of {@code POST /_local/token} asks for. */
  public record TokenRequest(String userId, String orgId, List<String> roles, List<String> groups, String name,
                             Duration ttl) {
    public TokenRequest(String userId, String orgId, List<String> roles, List<String> groups, Duration ttl) {
      this(userId, orgId, roles, groups, null, ttl);
    }

    public TokenRequest {
      roles = roles == null ? List.of() : List.copyOf(roles);
      groups = groups == null ? List.of() : List.copyOf(groups);
      ttl = ttl == null ? DEFAULT_TTL : ttl;
    }
  }

  public String mint(TokenRequest request) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(AUDIENCE)
        .subject(request.userId())
        .claim("org_id", request.orgId())
        .claim("roles", request.roles())
        .claim("groups", request.groups())
        .claim("token_use", "id")
        .claim("name", request.name() == null || request.name().isBlank() ? null : request.name())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(request.ttl())))
        .jwtID(UUID.randomUUID().toString())
        .build();
    return sign(claims, key);
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
