package dev.goalpost.counters;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.groups.Group;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * The 10DLC daily segment count of a group (SPEC §6). Carriers cap segments per brand per day, so every
 * send adds its segments to the group's counter for the day — the day in the group's zone. Initial and
 * reminder sends are refused once they would pass the group's cap (the condition is part of the send's own
 * transaction, so concurrent sends cannot overshoot); replies are always allowed but counted. At 80 % of the
 * cap agents see a warning.
 * <pre>
 * item      PK                          SK                      attributes
 * counter   ORG#{org}#GROUP#{group}     SEGMENTS#{yyyy-MM-dd}   segments, expiresAt (TTL 3 days)
 * </pre>
 * Cost: one more item in the send transaction (1 WCU ×2); reading it for /me/workflows: 1 GetItem.
 */
public final class SegmentCounter {
  public static final double WARNING_SHARE = 0.8;

  private final DynamoDbClient dynamo;
  private final Table table;

  public SegmentCounter(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public static LocalDate dayOf(Group group, Instant now) {
    return now.atZone(group.zone()).toLocalDate();
  }

  public static Map<String, AttributeValue> key(Group group, LocalDate day) {
    return Table.key(groupPartition(group.orgId(), group.id()), "SEGMENTS#" + day);
  }

  /**
   * The update adding {@code segments} for today; with {@code capped}, conditioned on staying within the cap.
   */
  public TransactWriteItem add(Group group, Instant now, int segments, boolean capped) {
    LocalDate day = dayOf(group, now);
    Map<String, String> names = new HashMap<>(Map.of("#s", "segments", "#exp", EXPIRES_AT));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":n", n(segments),
        ":exp", n(day.plusDays(3).atStartOfDay(group.zone()).toEpochSecond())));
    Update.Builder u = Update.builder().tableName(table.name()).key(key(group, day))
        .updateExpression("ADD #s :n SET #exp = :exp");
    if (capped) {
      u.conditionExpression("attribute_not_exists(#s) OR #s <= :room");
      values.put(":room", n(group.dailySegmentCap() - segments));
    }
    return TransactWriteItem.builder().update(u.expressionAttributeNames(names).expressionAttributeValues(values)
        .build()).build();
  }

  /** Segments counted today in the group's zone. */
  public long today(Group group, Instant now) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name()).key(key(group, dayOf(group, now))).build());
    return res.hasItem() ? num(res.item(), "segments", 0) : 0;
  }
}
