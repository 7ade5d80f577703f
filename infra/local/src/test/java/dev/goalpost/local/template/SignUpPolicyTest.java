package dev.goalpost.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user pool is the tenant boundary: {@code custom:org_id} decides which org's data a token reaches. So
 * nobody signs themselves up (only admins create users, with the org set by them) and no app client may write
 * the org attribute (a user cannot move themselves into another org with UpdateUserAttributes).
 */
class SignUpPolicyTest {
  private static final Template TEMPLATE = Template.load(List.of(Path.of("../../template.yaml")));

  @Test
  void onlyAdminsCreateUsers() {
    var pools = TEMPLATE.ofType("AWS::Cognito::UserPool");
    assertThat(pools).isNotEmpty();
    for (Resource pool : pools) {
      Map<String, Object> config = Yamls.map(pool.properties().get("AdminCreateUserConfig"));
      assertThat(config.get("AllowAdminCreateUserOnly")).as(pool.logicalId() + " AllowAdminCreateUserOnly").isEqualTo(true);
    }
  }

  @Test
  void noAppClientMayWriteTheOrgAttribute() {
    var clients = TEMPLATE.ofType("AWS::Cognito::UserPoolClient");
    assertThat(clients).isNotEmpty();
    for (Resource client : clients) {
      // Without WriteAttributes a client may write every writable attribute, custom:org_id included.
      assertThat(client.properties()).as(client.logicalId() + " WriteAttributes").containsKey("WriteAttributes");
      assertThat(Yamls.list(client.properties().get("WriteAttributes")))
          .as(client.logicalId() + " WriteAttributes")
          .isNotEmpty()
          .noneMatch(a -> String.valueOf(a).startsWith("custom:"));
    }
  }
}
