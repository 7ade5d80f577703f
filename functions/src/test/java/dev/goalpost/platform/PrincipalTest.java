package dev.goalpost.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.auth.Role;
import dev.goalpost.platform.http.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrincipalTest {

  @Test
  void readsArrayClaimsInTheFormApiGatewayPassesThem() {
    Principal p = Principal.fromClaims(Map.of("sub", "u1", "org_id", "o1", "roles", "[manager agent]",
        "groups", "[g1 g2]"));
    assertThat(p.roles()).containsExactlyInAnyOrder(Role.MANAGER, Role.AGENT);
    assertThat(p.groups()).containsExactlyInAnyOrder("g1", "g2");
  }

  @Test
  void readsJsonArrayStringsAndIgnoresUnknownRoles() {
    Principal p = Principal.fromClaims(Map.of("sub", "u1", "org_id", "o1", "roles", "[\"admin\",\"owner\"]"));
    assertThat(p.roles()).containsExactly(Role.ADMIN);
    assertThat(p.groups()).isEmpty();
  }

  @Test
  void refusesTokensWithoutUserOrOrg() {
    assertThatThrownBy(() -> Principal.fromClaims(Map.of("sub", "u1")))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
    assertThatThrownBy(() -> Principal.fromClaims(null)).isInstanceOf(ApiException.class);
  }

  @ParameterizedTest(name = "roles={0} groups={1}: manage g1={2}, read g1={3}")
  @CsvSource({
      "[admin], [], true, true",
      "[manager], [g1], true, true",
      "[manager], [g2], false, false",
      "[agent], [g1], false, true",
      "[agent], [g2], false, false",
      "[], [g1], false, false",
  })
  void rolesAndGroupsDecideWhatACallerMayDo(String roles, String groups, boolean manage, boolean read) {
    Principal p = Principal.fromClaims(Map.of("sub", "u", "org_id", "o", "roles", roles, "groups", groups));
    assertThat(p.canManage("g1")).isEqualTo(manage);
    assertThat(p.canRead("g1")).isEqualTo(read);
  }
}
