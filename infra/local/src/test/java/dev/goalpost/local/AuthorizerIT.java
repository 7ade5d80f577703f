package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.goalpost.local.auth.LocalIssuer;
import dev.goalpost.local.probe.ProbeApiHandler;
import dev.goalpost.local.probe.ProbeLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JWT authorizer behaves like API Gateway's: refuses before any function runs, flattens claims like it. */
@LocalCloudTest
class AuthorizerIT {
  private static final String ECHO = "/_probe/echo/auth";

  private final LocalCloud cloud;
  private final ApiClient api;

  AuthorizerIT(LocalCloud cloud, ApiClient api) {
    this.cloud = cloud;
    this.api = api;
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  @Test
  void requestWithoutTokenIsRefusedWith401AndTheFunctionNeverRuns() {
    int before = ProbeLog.count(ProbeApiHandler.NAME);

    ApiClient.Reply r = api.get(ECHO, null);

    assertThat(r.status()).isEqualTo(401);
    assertRefusedBecause(r, "missing-token");
    assertThat(r.header("content-type")).contains("application/problem+json");
    assertThat(ProbeLog.count(ProbeApiHandler.NAME)).isEqualTo(before);
  }

  @Test
  void authorizationThatIsNotABearerTokenIsRefused() {
    String token = api.token("u1", "org-a", List.of("admin"), List.of());

    ApiClient.Reply r = api.raw("GET", ECHO, Map.of("authorization", "Basic " + token), null);

    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void garbageTokenIsRefused() {
    assertThat(api.raw("GET", ECHO, Map.of("authorization", "Bearer not.a.jwt"), null).status()).isEqualTo(401);
  }

  @Test
  void tokenIsAcceptedUntilTheLocalClockPassesItsExpiry() {
    api.freezeClock(Instant.parse("2026-12-01T15:00:00Z"));
    String token = api.token("u1", "org-a", List.of("admin"), List.of(), Duration.ofMinutes(10));
    assertThat(api.get(ECHO, token).status()).isEqualTo(200);

    api.advanceClock(Duration.ofMinutes(11));

    ApiClient.Reply r = api.get(ECHO, token);
    assertThat(r.status()).isEqualTo(401);
    assertRefusedBecause(r, "expired");
    assertThat(r.json().path("detail").asText())
        .contains("expired at 2026-12-01T15:10:00Z", "local clock reads 2026-12-01T15:11:00Z");
  }

  /** Locally a 401 keeps API Gateway's message and says why, as problem+json. */
  private static void assertRefusedBecause(ApiClient.Reply r, String reason) {
    assertThat(r.json().path("message").asText()).isEqualTo("Unauthorized");
    assertThat(r.json().path("status").asInt()).isEqualTo(401);
    assertThat(r.json().path("reason").asText()).isEqualTo(reason);
    assertThat(r.json().path("detail").asText()).isNotBlank();
  }

  @Test
  void tokenSignedWithAnotherKeyIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID(cloud.issuer().signingKey().getKeyID()).generate();

    String forged = LocalIssuer.sign(validClaims(b -> b), stranger);

    assertThat(get(forged).status()).isEqualTo(401);
    assertRefusedBecause(get(forged), "bad-signature");
  }

  @Test
  void tokenFromAnotherIssuerIsRefused() {
    String token = LocalIssuer.sign(validClaims(b -> b.issuer("https://cognito-idp.us-east-1.amazonaws.com/other")),
        cloud.issuer().signingKey());

    assertThat(get(token).status()).isEqualTo(401);
    assertRefusedBecause(get(token), "wrong-issuer");
  }

  @Test
  void tokenForAnotherAudienceIsRefused() {
    String token = LocalIssuer.sign(validClaims(b -> b.audience("some-other-client")), cloud.issuer().signingKey());

    assertThat(get(token).status()).isEqualTo(401);
    assertRefusedBecause(get(token), "wrong-audience");
  }

  @Test
  void tokenNotYetValidIsRefused() {
    Instant now = api.now();
    String token = LocalIssuer.sign(validClaims(b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))),
        cloud.issuer().signingKey());

    assertThat(get(token).status()).isEqualTo(401);
    assertRefusedBecause(get(token), "not-yet-valid");
  }

  @Test
  void handCraftedTokenWithTheRightKeyAndClaimsIsAccepted() {
    // Guards the refusal tests above: they fail for the one claim they change, not for something else.
    String token = LocalIssuer.sign(validClaims(b -> b), cloud.issuer().signingKey());

    assertThat(get(token).status()).isEqualTo(200);
  }

  @Test
  void claimsReachTheFunctionFlattenedAsApiGatewayDoes() {
    String token = api.token("user-7", "org-a", List.of("admin", "manager"), List.of("grp_1", "grp_2"));

    ApiClient.Reply r = api.get(ECHO, token);

    assertThat(r.status()).isEqualTo(200);
    JsonNode jwt = r.json().at("/event/requestContext/authorizer/jwt");
    JsonNode claims = jwt.path("claims");
    assertThat(claims.path("sub").asText()).isEqualTo("user-7");
    assertThat(claims.path("org_id").asText()).isEqualTo("org-a");
    assertThat(claims.path("roles").asText()).isEqualTo("[admin manager]");
    assertThat(claims.path("groups").asText()).isEqualTo("[grp_1 grp_2]");
    assertThat(claims.path("group_roles").asText()).isEqualTo("grp_1:manager grp_2:manager"); // a string: unchanged
    assertThat(claims.path("iss").asText()).isEqualTo(cloud.baseUrl() + "/_local");
    assertThat(claims.path("aud").asText()).isEqualTo(LocalIssuer.AUDIENCE);
    assertThat(claims.path("exp").isTextual()).isTrue();
    assertThat(claims.path("exp").asText()).matches("\\d+");
    assertThat(Long.parseLong(claims.path("exp").asText()) - Long.parseLong(claims.path("iat").asText()))
        .isEqualTo(Duration.ofHours(12).toSeconds());
  }

  @Test
  void emptyRoleListArrivesAsEmptyBrackets() {
    String token = api.token("user-8", "org-a", List.of(), List.of());

    JsonNode claims = api.get(ECHO, token).json().at("/event/requestContext/authorizer/jwt/claims");

    assertThat(claims.path("roles").asText()).isEqualTo("[]");
  }

  @Test
  void publicRouteRunsWithoutTokenAndWithoutClaims() {
    ApiClient.Reply r = api.get("/_probe/public", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/event/requestContext/authorizer").isNull()).isTrue();
  }

  @Test
  void tokenRequestWithoutUserIdIsRefusedNamingTheField() {
    ApiClient.Reply r = api.post("/_local/token", null, Map.of("orgId", "org-a"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("content-type")).isEqualTo("application/problem+json");
    assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("userId");
  }

  private ApiClient.Reply get(String token) {
    return api.get(ECHO, token);
  }

  private JWTClaimsSet validClaims(UnaryOperator<JWTClaimsSet.Builder> change) {
    Instant now = api.now();
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(cloud.issuer().issuer())
        .audience(LocalIssuer.AUDIENCE)
        .subject("forger")
        .claim("org_id", "org-a")
        .claim("roles", List.of("admin"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)));
    return change.apply(b).build();
  }
}
