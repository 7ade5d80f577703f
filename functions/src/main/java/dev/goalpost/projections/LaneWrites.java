package dev.goalpost.projections;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.platform.Table;
import dev.goalpost.platform.Update;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Exactly-once aggregation onto one item from one stream shard. The item remembers, per shard, the sequence
 * number of the last record it applied ({@code seq#{shardId}}, padded); one UpdateItem applies every record of a
 * batch that changes the item, conditioned on the mark being older than the first of them, and moves the mark to
 * the last. Within a shard, Lambda hands records over in order and one batch at a time, so:
 * <ul>
 *   <li>a redelivered batch (a retry after a crash, a duplicate delivery) fails the condition; the item is
 *       read (1 GetItem, strongly consistent) and only the records after its mark are applied — nothing twice;</li>
 *   <li>a batch retried from a failed record (partial failure) resumes exactly where the item's mark says;</li>
 *   <li>records arriving out of order on a redelivery are behind the mark and are skipped (they were applied).</li>
 * </ul>
 * The mark is compared again when the read-then-write is retried ({@code seq = :read}), so the update lands once
 * however the retries interleave. Marks of shards closed for over {@link #STALE} (a shard id names its creation
 * time; stream records live 24 hours) are removed when the item is read, and the item is read every
 * {@value #PRUNE_EVERY}th batch for that, so an item keeps a handful of marks (~70 bytes each).
 *
 * <p>Cost per item per batch: 1 UpdateItem (item size in KB, rounded up, WCU); +1 GetItem when redelivered
 * or when pruning.
 */
final class LaneWrites {
  static final String MARK_PREFIX = "seq#";
  static final Duration STALE = Duration.ofHours(48);
  static final int PRUNE_EVERY = 64;
  static final int ATTEMPTS = 5;

  /** One record's change to the item: its padded sequence number and what it adds or sets. */
  record Contribution(String lane, Delta delta) {}

  private final DynamoDbClient dynamo;
  private final Table table;

  LaneWrites(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /**
   * Applies to {@code key} every contribution (in stream order) of {@code shardId} it has not applied yet, as one
   * UpdateItem; answers how many were applied now (0 when all were, earlier). SDK failures propagate.
   */
  int apply(Map<String, AttributeValue> key, String shardId, List<Contribution> contributions, Instant now) {
    if (contributions.isEmpty()) {
      return 0;
    }
    String mark = MARK_PREFIX + shardId;
    String lastLane = contributions.getLast().lane();
    boolean read = Math.floorMod(lastLane.hashCode(), PRUNE_EVERY) == 0;
    Map<String, AttributeValue> current = read ? get(key) : null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      String applied = current == null ? null : str(current, mark);
      List<Contribution> todo = new ArrayList<>();
      for (Contribution c : contributions) {
        if (applied == null || c.lane().compareTo(applied) > 0) {
          todo.add(c);
        }
      }
      if (todo.isEmpty()) {
        return 0;
      }
      Delta merged = new Delta();
      todo.forEach(c -> merged.merge(c.delta()));
      Update u = new Update();
      merged.into(u);
      u.set(mark, s(todo.getLast().lane()));
      if (current != null) {
        staleMarks(current, mark, now).forEach(u::remove);
      }
      String m = u.name(mark);
      String condition = current == null
          ? "attribute_not_exists(" + m + ") OR " + m + " < " + u.value(s(todo.getFirst().lane()))
          : applied == null ? "attribute_not_exists(" + m + ")" : m + " = " + u.value(s(applied));
      try {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table.name()).key(key)
            .updateExpression(u.expression()).conditionExpression(condition)
            .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build());
        return todo.size();
      } catch (ConditionalCheckFailedException e) {
        current = get(key); // applied (in part) before: apply what follows the item's mark
      }
    }
    throw new IllegalStateException("The stream mark of " + key + " kept moving; the batch is retried");
  }

  private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key).consistentRead(true).build());
    return res.hasItem() ? res.item() : Map.of();
  }

  /** Marks of other shards created more than {@link #STALE} ago (their records are gone from the stream). */
  static List<String> staleMarks(Map<String, AttributeValue> item, String keep, Instant now) {
    List<String> out = new ArrayList<>();
    for (String name : item.keySet()) {
      if (name.startsWith(MARK_PREFIX) && !name.equals(keep)) {
        Instant created = shardCreated(name.substring(MARK_PREFIX.length()));
        if (created != null && created.isBefore(now.minus(STALE))) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** A DynamoDB stream shard id, {@code shardId-{creation epoch ms, 20 digits}-{hash}}, names when it was created. */
  static Instant shardCreated(String shardId) {
    String[] parts = shardId.split("-");
    if (parts.length < 3 || !parts[1].chars().allMatch(Character::isDigit) || parts[1].isEmpty()) {
      return null;
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(parts[1]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
