package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.local.resources.EmulatorClients;
import dev.goalpost.local.resources.PhysicalResources;
import dev.goalpost.local.resources.ResourceProvisioner;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's resources are created the same way in LocalStack as in moto (the emulator is a detail).
 * Needs Docker; where there is none (as on the CI box that runs moto) it is skipped, not failed.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT {
  @Container
  static final LocalStackContainer LOCALSTACK = new LocalStackContainer(TestBackend.LOCALSTACK)
      .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS,
          LocalStackContainer.EnabledService.named("events"));

  @Test
  void templateResourcesAreProvisionedInLocalStack() {
    Template template = Template.load(List.of(
        Path.of("../../template.yaml"), Path.of("src/test/resources/local-test-template.yaml")));
    Stack stack = new Stack("ls-", LOCALSTACK.getRegion(), Stack.LOCAL_ACCOUNT);
    try (EmulatorClients clients = new EmulatorClients(LOCALSTACK.getEndpoint().toString(), LOCALSTACK.getRegion())) {
      PhysicalResources first = new ResourceProvisioner(template, stack, clients).provision(Map.of());
      PhysicalResources again = new ResourceProvisioner(template, stack, clients).provision(Map.of());

      var table = clients.dynamo().describeTable(r -> r.tableName("ls-GoalpostTable")).table();
      assertThat(table.globalSecondaryIndexes()).extracting(g -> g.indexName()).containsExactly("GSI1");
      assertThat(clients.dynamo().describeTimeToLive(r -> r.tableName("ls-GoalpostTable"))
          .timeToLiveDescription().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
      String queue = first.ref("ProbeWorkQueue").orElseThrow();
      assertThat(clients.sqs().getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.REDRIVE_POLICY))
          .attributes().get(QueueAttributeName.REDRIVE_POLICY)).contains("ls-ProbeDeadLetterQueue");
      assertThat(clients.events().describeEventBus(r -> r.name("ls-ProbeBus")).arn()).endsWith("event-bus/ls-ProbeBus");
      assertThat(again.ref("ProbeWorkQueue")).contains(queue);
    }
  }
}
