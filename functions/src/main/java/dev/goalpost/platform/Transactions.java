package dev.goalpost.platform;

import dev.goalpost.platform.http.ApiException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** TransactWriteItems with the one retry policy every writer of shared items uses. */
public final class Transactions {
  static final int CONFLICT_ATTEMPTS = 5;

  private Transactions() {}

  /**
   * Runs the transaction; a cancellation caused only by {@code TransactionConflict} (another transaction
   * touching a shared item — the group's daily counter, the goal's stats — at the same moment) is retried with
   * jittered backoff, since every condition still held. After {@value #CONFLICT_ATTEMPTS} attempts it answers
   * 503 with {@code busyDetail}. A failed condition is rethrown: it is the caller's answer.
   */
  public static void writeRetryingConflicts(DynamoDbClient dynamo, List<TransactWriteItem> writes, String busyDetail) {
    for (int attempt = 1; ; attempt++) {
      try {
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(writes).build());
        return;
      } catch (TransactionCanceledException e) {
        boolean onlyConflicts = !failedCondition(e) && e.hasCancellationReasons()
            && e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
        if (!onlyConflicts) {
          throw e;
        }
        if (attempt >= CONFLICT_ATTEMPTS) {
          throw new ApiException(503, "busy", "Try again", busyDetail, List.of());
        }
        try {
          Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Whether some item's condition failed (as opposed to conflicts or throttling). */
  public static boolean failedCondition(TransactionCanceledException e) {
    return e.hasCancellationReasons()
        && e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
  }
}
