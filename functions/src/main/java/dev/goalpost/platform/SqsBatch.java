package dev.goalpost.platform;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs an SQS batch record by record and reports only the failed ones (the template enables
 * ReportBatchItemFailures), so one poison message never makes the others redeliver. A record fails when the
 * work throws or asks for a retry; SQS then redelivers it after its visibility timeout, and after
 * maxReceiveCount moves it to the queue's dead-letter queue.
 */
public final class SqsBatch {
  private static final Logger LOG = Logger.getLogger(SqsBatch.class.getName());

  /** One record's work; false asks SQS to deliver it again later. */
  @FunctionalInterface
  public interface RecordWork {
    boolean process(SQSEvent.SQSMessage message) throws Exception;
  }

  private SqsBatch() {}

  public static SQSBatchResponse run(SQSEvent event, RecordWork work) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    boolean failedBefore = false;
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      // In a FIFO queue, once a record of a group fails the later ones must not overtake it.
      if (failedBefore && m.getAttributes() != null && m.getAttributes().containsKey("MessageGroupId")) {
        failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
        continue;
      }
      boolean ok;
      try {
        ok = work.process(m);
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Record " + m.getMessageId() + " failed; SQS will redeliver it", e);
        ok = false;
      }
      if (!ok) {
        failedBefore = true;
        failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }
}
