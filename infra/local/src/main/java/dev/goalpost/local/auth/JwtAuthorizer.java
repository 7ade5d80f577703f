package dev.goalpost.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's JWT authorizer, pointed at the {@link LocalIssuer}: a {@code Bearer} token whose RS256
 * signature, {@code iss}, {@code aud}, {@code exp} and {@code nbf} check out (times against the local clock)
 * is let through with its claims flattened as API Gateway flattens them; anything else is refused before any
 * function runs.
 */
public final class JwtAuthorizer {
  /** The outcome of checking one request. */
  public sealed interface Decision permits Allowed, Denied {}

  public record Allowed(Map<String, String> claims, List<String> scopes) implements Decision {}

  /**
   * Why a token was refused: {@code code} is a stable word ({@code missing-token}, {@code not-bearer},
   * {@code malformed-token}, {@code wrong-algorithm}, {@code bad-signature}, {@code wrong-issuer},
   * {@code wrong-audience}, {@code expired}, {@code not-yet-valid}) and {@code reason} the sentence the local
   * 401 body and log give. Deployed, API Gateway answers a bare {@code {"message":"Unauthorized"}}.
   */
  public record Denied(String code, String reason) implements Decision {}

  private final LocalIssuer issuer;
  private final Clock clock;
  private final RSASSAVerifier verifier;

  public JwtAuthorizer(LocalIssuer issuer, Clock clock) {
    this.issuer = issuer;
    this.clock = clock;
    try {
      this.verifier = new RSASSAVerifier(issuer.publicKey());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public Decision authorize(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      return new Denied("missing-token", "no Authorization header: send Authorization: Bearer <token> (POST /_local/token mints one)");
    }
    String value = authorizationHeader.trim();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return new Denied("not-bearer", "the Authorization header is not a Bearer token");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(value.substring(7).trim());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new Denied("malformed-token", "the bearer token is not a JWT: " + e.getMessage());
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      return new Denied("wrong-algorithm", "the token is signed with " + jwt.getHeader().getAlgorithm() + ", not RS256");
    }
    try {
      if (!jwt.verify(verifier)) {
        return new Denied("bad-signature", "the signature does not verify with this local cloud's key (tokens from an earlier run are not valid)");
      }
    } catch (JOSEException e) {
      return new Denied("bad-signature", "the signature check failed: " + e.getMessage());
    }
    if (!issuer.issuer().equals(claims.getIssuer())) {
      return new Denied("wrong-issuer", "the issuer " + claims.getIssuer() + " is not " + issuer.issuer());
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(LocalIssuer.AUDIENCE)) {
      return new Denied("wrong-audience", "the audience " + claims.getAudience() + " does not contain " + LocalIssuer.AUDIENCE);
    }
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    if (exp == null || !now.isBefore(exp.toInstant())) {
      return new Denied("expired", exp == null ? "the token has no exp claim"
          : "the token expired at " + exp.toInstant() + " while the local clock reads " + now
            + " (POST /_local/token mints a new one; moving the clock ages tokens too)");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant())) {
      return new Denied("not-yet-valid", "the token is not valid before " + nbf.toInstant() + " while the local clock reads " + now);
    }
    Map<String, Object> json = claims.toJSONObject();
    return new Allowed(ApiGatewayClaims.format(json), ApiGatewayClaims.scopes(json));
  }
}
