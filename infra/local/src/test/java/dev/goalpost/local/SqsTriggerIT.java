package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.goalpost.local.probe.ProbeLog;
import dev.goalpost.local.probe.ProbeWorker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * {@code Type: SQS} triggers run through the emulator's real queues: successes are deleted, reported
 * failures come back after the visibility timeout and, past maxReceiveCount, land in the DLQ.
 */
@LocalCloudTest
class SqsTriggerIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final LocalCloud cloud;
  private final SqsClient sqs;

  SqsTriggerIT(LocalCloud cloud) {
    this.cloud = cloud;
    this.sqs = cloud.clients().sqs();
  }

  @Test
  void partialBatchFailureIsRedeliveredThenDeadLetteredWhileSuccessIsDeletedOnce() throws Exception {
    String run = UUID.randomUUID().toString();
    String ok = "ok-" + run;
    String bad = "fail-" + run;
    String queue = ref("ProbeWorkQueue");

    sqs.sendMessage(r -> r.queueUrl(queue).messageBody(ok));
    sqs.sendMessage(r -> r.queueUrl(queue).messageBody(bad));

    Message dead = Await.until(WAIT, "the failing message in the DLQ", () -> receiveFromDlq(bad), m -> m != null);
    cloud.drainTriggers(WAIT);

    assertThat(deliveries(ok)).hasSize(1);
    List<SQSEvent.SQSMessage> failed = deliveries(bad);
    assertThat(failed).extracting(m -> m.getAttributes().get("ApproximateReceiveCount")).containsExactly("1", "2");
    assertThat(failed).allSatisfy(m -> {
      assertThat(m.getEventSource()).isEqualTo("aws:sqs");
      assertThat(m.getEventSourceArn()).endsWith(":" + cloud.stack().prefix() + "ProbeWorkQueue");
      assertThat(m.getReceiptHandle()).isNotBlank();
    });
    assertThat(dead.body()).isEqualTo(bad);
  }

  @Test
  void eventBridgeRuleDeliversMatchingEventsToTheTriggeredQueue() throws Exception {
    String marker = UUID.randomUUID().toString();

    var put = cloud.clients().events().putEvents(r -> r.entries(e -> e
        .eventBusName(ref("ProbeBus"))
        .source("goalpost.probe")
        .detailType("ProbeHappened")
        .detail("{\"marker\":\"" + marker + "\"}")));
    assertThat(put.failedEntryCount()).isZero();

    List<SQSEvent.SQSMessage> seen = Await.until(WAIT, "the event at the worker", () -> deliveries(marker), l -> !l.isEmpty());
    cloud.drainTriggers(WAIT);
    assertThat(seen.getFirst().getBody()).contains("\"detail-type\"").contains("ProbeHappened");
  }

  @Test
  void eventsNotMatchingTheRulePatternAreNotDelivered() throws Exception {
    String marker = UUID.randomUUID().toString();
    String matching = UUID.randomUUID().toString();

    cloud.clients().events().putEvents(r -> r.entries(
        e -> e.eventBusName(ref("ProbeBus")).source("someone.else").detailType("ProbeHappened")
            .detail("{\"marker\":\"" + marker + "\"}"),
        e -> e.eventBusName(ref("ProbeBus")).source("goalpost.probe").detailType("ProbeHappened")
            .detail("{\"marker\":\"" + matching + "\"}")));

    // The matching event, sent in the same call, proves delivery happened before we look for the other one.
    Await.until(WAIT, "the matching event", () -> deliveries(matching), l -> !l.isEmpty());
    cloud.drainTriggers(WAIT);
    assertThat(deliveries(marker)).isEmpty();
  }

  private String ref(String logicalId) {
    return cloud.resources().ref(logicalId).orElseThrow();
  }

  private Message receiveFromDlq(String body) {
    List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(ref("ProbeDeadLetterQueue"))
        .maxNumberOfMessages(10).waitTimeSeconds(1)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    return messages.stream().filter(m -> m.body().equals(body)).findFirst().orElse(null);
  }

  private static List<SQSEvent.SQSMessage> deliveries(String bodyPart) {
    return ProbeLog.of(ProbeWorker.NAME).stream()
        .map(SQSEvent.SQSMessage.class::cast)
        .filter(m -> m.getBody().contains(bodyPart))
        .toList();
  }
}
