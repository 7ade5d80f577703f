package dev.goalpost.messaging;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * The durable hand-off between storing a text and queueing it (transactional outbox). Whoever stores a QUEUED
 * message — an agent's send, a keyword's confirmation — writes an outbox item for it IN THE SAME
 * TRANSACTION, then puts the message on the outbound queue and deletes the item. A crash or an SQS failure
 * between commit and enqueue leaves the item; the sweeper (run every minute by the Transitions schedule)
 * queues every item older than {@link #GRACE} and deletes it. So a stored text always reaches the queue, and
 * queueing twice is harmless: the FIFO queue drops a repeated message id within five minutes and the sender
 * only sends a message it moves from QUEUED to SENDING.
 *
 * <pre>
 * item     PK                SK                          attributes
 * outbox   OUTBOX#{shard}    {createdAtMs:13}#{msgId}    orgId, threadId, messageSortKey, messageId, from, to, expiresAt (TTL 14 d)
 * </pre>
 * {@value #SHARDS} shards (by message id) spread the writes over partitions; the sweeper reads each shard's
 * due range in time order, so it never scans. Why not a DynamoDB stream: a stream consumer is one more
 * function, and it would see every message write (status updates included) to find the few whose enqueue
 * failed; the outbox costs writes only on the send path and reads only what is due.
 *
 * <p>Cost per text: +1 Put in the send transaction (+2 WCU) and +1 DeleteItem after the enqueue (+1 WCU,
 * +1 request). Sweeper per minute: {@value #SHARDS} Queries (0.5 RCU each when nothing is due), and per
 * stranded text 1 SendMessage + 1 DeleteItem.
 */
public final class Outbox {
  private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
  public static final int SHARDS = 8;
  /** An item younger than this is being handed off by its writer; the sweeper leaves it alone. */
  public static final Duration GRACE = Duration.ofMinutes(1);
  static final Duration TTL = Duration.ofDays(14);

  private final DynamoDbClient dynamo;
  private final Table table;
  private final OutboundQueue queue;

  public Outbox(DynamoDbClient dynamo, Table table, OutboundQueue queue) {
    this.dynamo = dynamo;
    this.table = table;
    this.queue = queue;
  }

  static String partition(String messageId) {
    return "OUTBOX#" + Math.floorMod(messageId.hashCode(), SHARDS);
  }

  public static Map<String, AttributeValue> key(OutboundQueue.Ref ref, Instant createdAt) {
    return Table.key(partition(ref.messageId()), sortMs(createdAt) + "#" + ref.messageId());
  }

  private static String sortMs(Instant at) {
    return String.format("%013d", Math.max(0, at.toEpochMilli()));
  }

  /** The outbox item of a text, for the transaction that stores the text. */
  public TransactWriteItem put(OutboundQueue.Ref ref, Instant createdAt) {
    Map<String, AttributeValue> item = new HashMap<>(key(ref, createdAt));
    item.put("orgId", s(ref.orgId()));
    item.put("threadId", s(ref.threadId()));
    item.put("messageSortKey", s(ref.messageSortKey()));
    item.put("messageId", s(ref.messageId()));
    item.put("from", s(ref.from()));
    item.put("to", s(ref.to()));
    item.put(EXPIRES_AT, n(createdAt.plus(TTL).getEpochSecond()));
    return TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item).build()).build();
  }

  /**
   * Queues the text and deletes its outbox item. Answers false when the queue refused (the item stays; the
   * sweeper queues it within {@link #GRACE} plus a minute), so the caller can answer its client normally.
   */
  public boolean handOff(OutboundQueue.Ref ref, Instant createdAt) {
    try {
      queue.send(ref);
    } catch (SdkException e) {
      LOG.warning("Enqueue of " + ref.messageId() + " failed (" + e.getMessage() + "); the outbox sweeper queues it");
      return false;
    }
    try {
      dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name()).key(key(ref, createdAt)).build());
    } catch (SdkException e) {
      // Queued already; the sweeper will queue it once more (dropped as a duplicate) and delete the item.
      LOG.warning("Outbox item of " + ref.messageId() + " not deleted: " + e.getMessage());
    }
    return true;
  }

  /** Queues every text whose hand-off did not finish by {@code now - GRACE}; answers how many. */
  public int sweep(Instant now) {
    String before = sortMs(now.minus(GRACE));
    int queued = 0;
    for (int shard = 0; shard < SHARDS; shard++) {
      Map<String, AttributeValue> start = null;
      do {
        var req = QueryRequest.builder().tableName(table.name())
            .keyConditionExpression("#pk = :pk AND #sk < :before")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
            .expressionAttributeValues(Map.of(":pk", s("OUTBOX#" + shard), ":before", s(before)))
            .consistentRead(true).limit(100);
        if (start != null) {
          req.exclusiveStartKey(start);
        }
        var res = dynamo.query(req.build());
        for (var item : res.items()) {
          OutboundQueue.Ref ref = new OutboundQueue.Ref(str(item, "orgId"), str(item, "threadId"),
              str(item, "messageSortKey"), str(item, "messageId"), str(item, "from"), str(item, "to"));
          queue.send(ref); // a failure throws: the next run starts again from this item
          dynamo.deleteItem(DeleteItemRequest.builder().tableName(table.name())
              .key(Table.key(str(item, PK), str(item, SK))).build());
          queued++;
        }
        start = res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
      } while (start != null);
    }
    if (queued > 0) {
      LOG.warning("Outbox sweeper queued " + queued + " text(s) whose hand-off had not finished");
    }
    return queued;
  }
}
