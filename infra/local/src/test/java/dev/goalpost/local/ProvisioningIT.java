package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.local.resources.PhysicalResources;
import dev.goalpost.local.resources.ResourceProvisioner;
import dev.goalpost.local.template.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The template's resources exist in the emulator as declared, and provisioning again reuses them. */
@LocalCloudTest
class ProvisioningIT {
  private final LocalCloud cloud;

  ProvisioningIT(LocalCloud cloud) {
    this.cloud = cloud;
  }

  @Test
  void tableHasTheTemplatesKeysIndexBillingAndTtl() {
    String table = cloud.resources().ref("GoalpostTable").orElseThrow();
    var d = cloud.clients().dynamo().describeTable(r -> r.tableName(table)).table();

    assertThat(table).isEqualTo(cloud.stack().prefix() + "GoalpostTable");
    assertThat(d.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString()).containsExactly("PK:HASH", "SK:RANGE");
    assertThat(d.globalSecondaryIndexes()).extracting(g -> g.indexName()).containsExactly("GSI1");
    assertThat(d.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    var ttl = cloud.clients().dynamo().describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
    assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    assertThat(ttl.attributeName()).isEqualTo("expiresAt");
  }

  @Test
  void queueHasItsVisibilityTimeoutAndRedrivePolicyToTheDlq() {
    String queue = cloud.resources().ref("ProbeWorkQueue").orElseThrow();
    Map<QueueAttributeName, String> a = cloud.clients().sqs().getQueueAttributes(r -> r.queueUrl(queue)
        .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.REDRIVE_POLICY)).attributes();

    assertThat(a.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("1");
    assertThat(a.get(QueueAttributeName.REDRIVE_POLICY))
        .contains(cloud.resources().attribute("ProbeDeadLetterQueue", "Arn").orElseThrow())
        .contains("maxReceiveCount");
  }

  @Test
  void ruleTargetsTheQueueOnTheBus() {
    String bus = cloud.resources().ref("ProbeBus").orElseThrow();
    String rule = cloud.resources().ref("ProbeRule").orElseThrow();

    var targets = cloud.clients().events().listTargetsByRule(r -> r.rule(rule).eventBusName(bus)).targets();

    assertThat(targets).extracting(t -> t.arn()).containsExactly(cloud.resources().attribute("ProbeWorkQueue", "Arn").orElseThrow());
  }

  @Test
  void provisioningAgainReusesEverything() {
    Template template = Template.load(List.of(
        Path.of("../../template.yaml"), Path.of("src/test/resources/local-test-template.yaml")));

    PhysicalResources again = new ResourceProvisioner(template, cloud.stack(), cloud.clients()).provision(Map.of());

    for (String id : List.of("GoalpostTable", "ProbeWorkQueue", "ProbeDeadLetterQueue", "ProbeBus", "ProbeRule")) {
      assertThat(again.ref(id)).as(id).isEqualTo(cloud.resources().ref(id));
      assertThat(again.attribute(id, "Arn")).as(id).isEqualTo(cloud.resources().attribute(id, "Arn"));
    }
  }
}
