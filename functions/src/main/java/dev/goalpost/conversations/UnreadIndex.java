package dev.goalpost.conversations;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Queries;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * The unread workflow's index: threads whose latest message is an unread reply, per goal and pool, oldest
 * reply first among the free ones; a claimed thread comes back when its claim (the group's unread claim
 * window) ends — all by key range on GSI1, see {@link ThreadRepository}.
 */
public final class UnreadIndex {
  private final DynamoDbClient dynamo;
  private final Table table;

  public UnreadIndex(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** GSI1SK of an unread thread: free ({@code availableAt} 0) or claimed until {@code availableAt}. */
  public static String sortKey(long availableAtMs, Instant lastInboundAt, String threadId) {
    return ThreadRepository.sortMs(availableAtMs) + "#" + ThreadRepository.sortMs(lastInboundAt.toEpochMilli())
        + "#" + threadId;
  }

  public List<Map<String, AttributeValue>> claimable(String orgId, String goalId, String pool, Instant now, int limit) {
    // Filled across pages (Queries.page: 1 Query below 1 MB, the 320-thread window included; at most 10).
    return Queries.page(dynamo, QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk AND #sk < :now")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
        .expressionAttributeValues(Map.of(":pk", s(ThreadRepository.unreadPartition(orgId, goalId, pool)),
            ":now", s(ThreadRepository.sortMs(now.toEpochMilli() + 1))))
        .build(), limit, 10).items();
  }

  /** Threads claimable now, counted over every page (1 Query per 1 MB of index items read: {@link Queries#count}). */
  public int countClaimable(String orgId, String goalId, String pool, Instant now) {
    return Queries.count(dynamo, QueryRequest.builder().tableName(table.name()).indexName(GSI1)
        .keyConditionExpression("#pk = :pk AND #sk < :now")
        .expressionAttributeNames(Map.of("#pk", GSI1PK, "#sk", GSI1SK))
        .expressionAttributeValues(Map.of(":pk", s(ThreadRepository.unreadPartition(orgId, goalId, pool)),
            ":now", s(ThreadRepository.sortMs(now.toEpochMilli() + 1))))
        .build());
  }
}
