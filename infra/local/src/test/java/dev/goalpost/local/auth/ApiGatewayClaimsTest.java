package dev.goalpost.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayClaimsTest {
  @Test
  void everyClaimBecomesOneStringTheWayApiGatewayFlattensThem() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", "u1");
    claims.put("exp", 1795881005L);
    claims.put("ratio", 1.5d);
    claims.put("whole", 2.0d);
    claims.put("admin", true);
    claims.put("roles", List.of("admin", "manager"));
    claims.put("groups", List.of());
    claims.put("nested", Map.of("a", 1));
    claims.put("missing", null);

    Map<String, String> flat = ApiGatewayClaims.format(claims);

    assertThat(flat).containsEntry("sub", "u1")
        .containsEntry("exp", "1795881005")
        .containsEntry("ratio", "1.5")
        .containsEntry("whole", "2")
        .containsEntry("admin", "true")
        .containsEntry("roles", "[admin manager]")
        .containsEntry("groups", "[]")
        .containsEntry("nested", "{\"a\":1}")
        .doesNotContainKey("missing");
  }

  @Test
  void scopesComeFromTheScopeClaim() {
    assertThat(ApiGatewayClaims.scopes(Map.of("scope", "read write"))).containsExactly("read", "write");
    assertThat(ApiGatewayClaims.scopes(Map.of("sub", "x"))).isNull();
  }
}
