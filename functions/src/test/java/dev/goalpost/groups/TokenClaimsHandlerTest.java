package dev.goalpost.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEvent;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenClaimsHandlerTest {
  private static final Instant T = Instant.parse("2026-11-28T12:00:00Z");

  private static CognitoUserPoolPreTokenGenerationEvent event(Map<String, String> attributes, String... cognitoGroups) {
    return CognitoUserPoolPreTokenGenerationEvent.builder()
        .withRequest(CognitoUserPoolPreTokenGenerationEvent.Request.builder()
            .withUserAttributes(attributes)
            .withGroupConfiguration(CognitoUserPoolPreTokenGenerationEvent.GroupConfiguration.builder()
                .withGroupsToOverride(cognitoGroups).build())
            .build())
        .build();
  }

  @Test
  void theTokenCarriesTheOrgTheRolesAndTheGroupsThePrincipalIsReadFrom() {
    var handler = new TokenClaimsHandler((org, user) -> org.equals("org1") && user.equals("u1")
        ? List.of(new Member("u1", "g1", MemberRole.MANAGER, T), new Member("u1", "g2", MemberRole.AGENT, T))
        : List.of());
    var out = handler.handleRequest(event(Map.of("sub", "u1", "custom:org_id", "org1"), "admins"), null);
    Map<String, String> claims = out.getResponse().getClaimsOverrideDetails().getClaimsToAddOrOverride();
    assertThat(claims).containsEntry("org_id", "org1").containsEntry("groups", "g1 g2");

    Map<String, String> asApiGatewayPassesThem = new java.util.HashMap<>(claims);
    asApiGatewayPassesThem.put("sub", "u1");
    Principal p = Principal.fromClaims(asApiGatewayPassesThem);
    assertThat(p.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.MANAGER, Role.AGENT);
    assertThat(p.groups()).containsExactlyInAnyOrder("g1", "g2");
  }

  @Test
  void aUserWithoutAnOrgGetsNoClaimsSoEveryCallIsRefused() {
    var handler = new TokenClaimsHandler((org, user) -> List.of(new Member("u1", "g1", MemberRole.AGENT, T)));
    var out = handler.handleRequest(event(Map.of("sub", "u1")), null);
    assertThat(out.getResponse()).isNull();
  }
}
