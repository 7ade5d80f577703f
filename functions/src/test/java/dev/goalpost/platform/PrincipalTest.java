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
  void readsGroupRolesInEveryFormApiGatewayCanPassThem() {
    for (String raw : new String[] {"g1:manager g2:agent", "[g1:manager g2:agent]", "g1:manager,g2:agent",
        "{\"g1\":\"manager\",\"g2\":\"agent\"}", "{\"g1\": \"manager\", \"g2\": \"agent\"}"}) {
      Principal p = Principal.fromClaims(Map.of("sub", "u1", "org_id", "o1", "group_roles", raw));
      assertThat(p.groupRoles()).as(raw).containsExactlyInAnyOrderEntriesOf(Map.of("g1", Role.MANAGER, "g2", Role.AGENT));
    }
  }

  @Test
  void theGroupRolesClaimRoundTrips() {
    var roles = new java.util.TreeMap<>(Map.of("grp_a", Role.MANAGER, "grp_b", Role.AGENT));
    String claim = Principal.formatGroupRoles(roles);
    assertThat(claim).isEqualTo("grp_a:manager grp_b:agent");
    assertThat(Principal.parseGroupRoles(claim)).isEqualTo(roles);
  }

  @Test
  void readsTheAdminRoleFromJsonArrayStringsAndIgnoresUnknownRoles() {
    Principal p = Principal.fromClaims(Map.of("sub", "u1", "org_id", "o1", "roles", "[\"admin\",\"owner\"]"));
    assertThat(p.isAdmin()).isTrue();
    assertThat(p.groups()).isEmpty();
  }

  @Test
  void aGroupRoleClaimCannotMakeAnyoneAdminAndBrokenEntriesGrantNothing() {
    Principal p = Principal.fromClaims(Map.of("sub", "u1", "org_id", "o1",
        "group_roles", "g1:admin g2: :agent g3 g4:owner g5:agent g5:manager"));
    assertThat(p.isAdmin()).isFalse();
    assertThat(p.groupRoles()).containsExactlyInAnyOrderEntriesOf(Map.of("g5", Role.AGENT)); // named twice: the weaker
  }

  @Test
  void refusesTokensWithoutUserOrOrg() {
    assertThatThrownBy(() -> Principal.fromClaims(Map.of("sub", "u1")))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
    assertThatThrownBy(() -> Principal.fromClaims(null)).isInstanceOf(ApiException.class);
  }

  /** The hole this closes: a manager of g1 who is an agent of g2 used to manage g2 too (one flat role set). */
  @Test
  void aManagerOfOneGroupWhoIsAnAgentOfAnotherManagesOnlyTheFirst() {
    Principal p = Principal.fromClaims(Map.of("sub", "mo", "org_id", "o", "group_roles", "g1:manager g2:agent"));
    assertThat(p.canManage("g1")).isTrue();
    assertThat(p.canManage("g2")).isFalse();
    assertThat(p.canRead("g2")).isTrue();
    assertThat(p.isMember("g2")).isTrue();
    assertThat(p.canRead("g3")).isFalse();
    assertThatThrownBy(() -> p.requireManage("g2")).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(403))
        .hasMessageContaining("your role in it is agent");
  }

  @Test
  void theFlatRolesAndGroupsOfOldTokensGrantNothingInAnyGroup() {
    Principal p = Principal.fromClaims(Map.of("sub", "mo", "org_id", "o", "roles", "[manager agent]", "groups", "[g1 g2]"));
    assertThat(p.canManage("g1")).isFalse();
    assertThat(p.canRead("g1")).isFalse();
    assertThat(p.groups()).isEmpty();
  }

  @ParameterizedTest(name = "roles={0} group_roles={1}: manage g1={2}, read g1={3}, member of g1={4}")
  @CsvSource(delimiter = ';', value = {
      "[admin]; ; true; true; false",
      "[admin]; g1:agent; true; true; true",
      "; g1:manager; true; true; true",
      "; g2:manager; false; false; false",
      "; g1:agent; false; true; true",
      "; g2:agent; false; false; false",
      "[manager]; g2:manager; false; false; false",
      "; ; false; false; false",
  })
  void theRoleInTheGroupDecidesWhatACallerMayDoThere(String roles, String groupRoles, boolean manage, boolean read,
                                                     boolean member) {
    Map<String, String> claims = new java.util.HashMap<>(Map.of("sub", "u", "org_id", "o"));
    if (roles != null) {
      claims.put("roles", roles);
    }
    if (groupRoles != null) {
      claims.put("group_roles", groupRoles);
    }
    Principal p = Principal.fromClaims(claims);
    assertThat(p.canManage("g1")).isEqualTo(manage);
    assertThat(p.canRead("g1")).isEqualTo(read);
    assertThat(p.isMember("g1")).isEqualTo(member);
  }
}
