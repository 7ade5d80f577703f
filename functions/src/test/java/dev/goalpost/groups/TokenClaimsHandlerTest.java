package dev.goalpost.groups;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEvent;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.auth.Role;
import java.time.Instant;
import java.util.ArrayList;
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

  private static Map<String, String> claims(CognitoUserPoolPreTokenGenerationEvent out) {
    return out.getResponse().getClaimsOverrideDetails().getClaimsToAddOrOverride();
  }

  /** API Gateway passes every claim as a string; "[a b]" for arrays. These claims are strings already. */
  private static Principal principalFrom(Map<String, String> claims, String sub) {
    Map<String, String> asApiGatewayPassesThem = new java.util.HashMap<>(claims);
    asApiGatewayPassesThem.put("sub", sub);
    return Principal.fromClaims(asApiGatewayPassesThem);
  }

  @Test
  void theTokenCarriesTheRoleOfEachGroupSoAManagerOfOneIsOnlyAnAgentOfTheOther() {
    var handler = new TokenClaimsHandler((org, user) -> org.equals("org1") && user.equals("u1")
        ? List.of(new Member("u1", "g2", MemberRole.AGENT, T), new Member("u1", "g1", MemberRole.MANAGER, T))
        : List.of());
    Map<String, String> claims = claims(handler.handleRequest(event(Map.of("sub", "u1", "custom:org_id", "org1")), null));
    assertThat(claims).containsEntry("org_id", "org1").containsEntry("roles", "")
        .containsEntry("group_roles", "g1:manager g2:agent");

    Principal p = principalFrom(claims, "u1");
    assertThat(p.isAdmin()).isFalse();
    assertThat(p.groupRoles()).containsExactlyInAnyOrderEntriesOf(Map.of("g1", Role.MANAGER, "g2", Role.AGENT));
    assertThat(p.canManage("g1")).isTrue();
    assertThat(p.canManage("g2")).isFalse();
    assertThat(p.canRead("g2")).isTrue();
  }

  @Test
  void membersOfTheCognitoAdminsGroupAreOrgAdmins() {
    var handler = new TokenClaimsHandler((org, user) -> List.of(new Member("u1", "g1", MemberRole.AGENT, T)));
    Map<String, String> claims = claims(handler.handleRequest(event(Map.of("sub", "u1", "custom:org_id", "org1"), "admins"), null));
    assertThat(claims).containsEntry("roles", "admin").containsEntry("group_roles", "g1:agent");
    Principal p = principalFrom(claims, "u1");
    assertThat(p.isAdmin()).isTrue();
    assertThat(p.canManage("any-group-of-the-org")).isTrue();
  }

  @Test
  void aTokenCarriesAtMostMaxGroupsMembershipsSoItFitsApiGatewaysHeaderLimit() {
    List<Member> many = new ArrayList<>();
    for (int i = 0; i < TokenClaimsHandler.MAX_GROUPS + 20; i++) {
      many.add(new Member("u1", String.format("grp_%020d", i), MemberRole.MANAGER, T));
    }
    var handler = new TokenClaimsHandler((org, user) -> many);
    Map<String, String> claims = claims(handler.handleRequest(event(Map.of("sub", "u1", "custom:org_id", "org1")), null));
    assertThat(Principal.parseGroupRoles(claims.get("group_roles"))).hasSize(TokenClaimsHandler.MAX_GROUPS);
    // 24-character group ids: the claim stays well under the 10,240 bytes API Gateway allows for all headers.
    assertThat(claims.get("group_roles").length() * 4 / 3).isLessThan(7_000);
  }

  @Test
  void aUserWithoutAnOrgGetsNoClaimsSoEveryCallIsRefused() {
    var handler = new TokenClaimsHandler((org, user) -> List.of(new Member("u1", "g1", MemberRole.AGENT, T)));
    var out = handler.handleRequest(event(Map.of("sub", "u1")), null);
    assertThat(out.getResponse()).isNull();
  }
}
