package dev.goalpost.counters;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.groups.Group;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * The 10DLC daily segment count of a group (SPEC §6), without a hot item: the day's cap is split into
 * {@code K} shards whose shares sum to the cap exactly, and every text adds its segments to one shard (or a
 * few, near the cap). Sum of the shards = the day's total, in the group's zone.
 * <pre>
 * item        PK                                                  SK         attributes
 * shard       ORG#{org}#GROUP#{group}#SEGMENTS#{yyyy-MM-dd}#{i}   SEGMENTS   segments, expiresAt (TTL 3 days)   i = 0 … K-1
 * overflow    ORG#{org}#GROUP#{group}#SEGMENTS#{yyyy-MM-dd}#X     SEGMENTS   segments (uncapped texts counted when no shard had room)
 * warned      ORG#{org}#GROUP#{group}#SEGMENTS#{yyyy-MM-dd}#W     SEGMENTS   atMs, used (the 80 % warning fired: put once, conditioned on absence)
 * </pre>
 * Every shard has its own partition key, so a group's texts spread over K partition keys (each takes 1,000
 * WCU/s), not K items of the group's one (where its contacts live too).
 * {@code K = clamp(cap / 100, 1, 16)}, so every share is at least 100 segments (a small group has one shard: it
 * has no hot-item problem), and a 40,000-segment cap has 16 shards of 2,500. Shard {@code i}'s share is
 * {@code cap / K}, plus one for the first {@code cap mod K} shards.
 *
 * <p><b>Capped texts</b> (those that open a conversation) {@link #reserve} their segments outside the send's
 * transaction: one conditional ADD on a shard chosen from the thread ({@code attribute_not_exists OR segments
 * ≤ share − n}); the common case is that one request. A shard too full answers its current count
 * ({@code ReturnValuesOnConditionCheckFailure}), so the reservation takes what room it has left and goes on to
 * the next shard for the rest: a reservation may be split over several shards, and it fails (releasing its
 * parts) only when the shards together lack the room. The send then commits its transaction, or, if that is
 * refused, {@link #release}s the reservation (ADD −n on each part).
 *
 * <p><b>The bound.</b> Every capped ADD keeps its shard ≤ its share (the condition is evaluated by DynamoDB on
 * the item, atomically, so concurrent reservations on one shard serialize), and uncapped texts use the same
 * conditional ADDs first, going to the overflow item only when no shard has room. So the shards never hold
 * more than the cap, whatever the interleaving, and capped texts are admitted only into that room: capped sends
 * never push the day's total past the cap. The only segments past the cap are uncapped ones (answers to a
 * contact who wrote: never refused, always counted, SPEC §6) and the keyword confirmations counted inside the
 * reply transaction ({@link #count}, unconditional on the thread's shard: at most 2 segments each).
 * Fragmentation strands nothing: a reservation takes partial room on several shards, so a text is refused only
 * when the total room is below its segments — except transiently while other reservations are in flight (they
 * may yet be released). A crash between the reservation and the transaction loses that room for the day (the
 * segments stay counted, never sent): room lost, never an overshoot. A crash between a refused transaction
 * and the release is the same.
 *
 * <p><b>The 80 % warning</b> fires once per group per day: when an ADD takes a shard across 80, 85, 90, 95 or
 * 100 % of its share, the shards are summed (1 BatchGetItem) and, if the sum is ≥ 80 % of the cap, a flag item
 * is put conditioned on absence; only the request whose put succeeds fires it (a log line; /me/workflows shows
 * {@code dailySegments.warning}). Shards fill evenly (threads spread over them), so the check runs within a
 * few percent of 80 % and at most 5 × K times a day.
 *
 * <p>Cost: reserve / add 1 UpdateItem (1 WCU) in the common case, +1 per further shard near the cap; release
 * 1 UpdateItem per part; today 1 BatchGetItem of K + 1 items, eventually consistent (≤ 8.5 RCU: a count may
 * lag a write by a moment, as the read of /me/workflows may); the warning
 * check 1 BatchGetItem + 1 PutItem, at most 5 × K times a day.
 */
public final class DailySegments {
  private static final Logger LOG = Logger.getLogger(DailySegments.class.getName());
  public static final double WARNING_SHARE = 0.8;
  static final int MAX_SHARDS = 16;
  static final int MIN_SHARE = 100;
  static final String A_SEGMENTS = "segments";
  /** How often a reservation retries one shard whose count moved under it before trying the next. */
  static final int TRIES_PER_SHARD = 3;

  private final DynamoDbClient dynamo;
  private final Table table;
  private final BatchReads reads;

  public DailySegments(DynamoDbClient dynamo, Table table) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new BatchReads(dynamo, table);
  }

  // ------------------------------------------------------------------ the arithmetic (pure)

  /** The number of shards for a cap. */
  public static int shards(long cap) {
    return (int) Math.max(1, Math.min(MAX_SHARDS, cap / MIN_SHARE));
  }

  /** Shard {@code i}'s share of the cap: the shares of all K shards sum to the cap exactly. */
  public static long share(long cap, int k, int i) {
    return cap / k + (i < cap % k ? 1 : 0);
  }

  /** The shard a text starts on: a hash of the thread (or another spreading key). */
  public static int startShard(String spreadKey, int k) {
    int h = spreadKey.hashCode() * 0x9E3779B9;
    return Math.floorMod(h ^ (h >>> 16), k);
  }

  /** One shard's part of a reservation. */
  public record Part(int shard, long amount) {}

  /** The shards as the reservation sees them: a conditional ADD that answers the count it found when refused. */
  public interface Shards {
    /** Adds {@code amount} to shard {@code i} if its count stays ≤ {@code limit}; the count after, or −(count) − 1 when refused. */
    long addIfAtMost(int i, long amount, long limit);

    /** Adds {@code amount} (may be negative) to shard {@code i} without condition; returns the count after. */
    long add(int i, long amount);
  }

  /**
   * Takes {@code segments} from the shards' room, starting at {@code start}, each shard kept ≤ its share; the
   * parts taken, or empty (nothing kept: the parts are given back) when the shards lack the room.
   */
  public static Optional<List<Part>> take(Shards shards, long cap, int start, long segments) {
    int k = shards(cap);
    List<Part> parts = new ArrayList<>();
    long need = segments;
    for (int j = 0; j < k && need > 0; j++) {
      int i = (start + j) % k;
      long share = share(cap, k, i);
      long amount = Math.min(need, share);
      for (int t = 0; t < TRIES_PER_SHARD && amount > 0; t++) {
        long r = shards.addIfAtMost(i, amount, share);
        if (r >= 0) {
          parts.add(new Part(i, amount));
          need -= amount;
          break;
        }
        long count = -r - 1;
        amount = Math.min(need, share - count);
      }
    }
    if (need > 0) {
      for (Part p : parts) {
        shards.add(p.shard(), -p.amount());
      }
      return Optional.empty();
    }
    return Optional.of(parts);
  }

  /** Whether an ADD that took a shard from {@code before} to {@code after} crossed a warning step of its share. */
  public static boolean crossesWarningStep(long before, long after, long share) {
    for (int pct = 80; pct <= 100; pct += 5) {
      long step = (share * pct + 99) / 100;
      if (before < step && after >= step) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ the items

  public static LocalDate dayOf(Group group, Instant now) {
    return now.atZone(group.zone()).toLocalDate();
  }

  static Map<String, AttributeValue> shardKey(Group group, LocalDate day, String shard) {
    // Each shard its own partition key: the group's texts spread over K partitions, not K items of one (one
    // partition key takes at most 1,000 WCU/s, the group's contacts share it too).
    return Table.key(groupPartition(group.orgId(), group.id()) + "#SEGMENTS#" + day + "#" + shard, "SEGMENTS");
  }

  /** A reservation (or a count) of one text's segments for one day. */
  public record Reservation(Group group, LocalDate day, List<Part> parts, boolean overflow, long segments,
                            boolean warned) {
    public static Reservation none(Group group, LocalDate day) {
      return new Reservation(group, day, List.of(), false, 0, false);
    }
  }

  /**
   * Reserves a capped text's segments within today's cap; empty when the cap has no room for them (refuse the
   * text). Release it if the text is not stored after all.
   */
  public Optional<Reservation> reserve(Group group, Instant now, int segments, String spreadKey) {
    LocalDate day = dayOf(group, now);
    long cap = group.dailySegmentCap();
    DynamoShards shards = new DynamoShards(group, day);
    return take(shards, cap, startShard(spreadKey, shards(cap)), segments)
        .map(parts -> new Reservation(group, day, parts, false, segments, warn(group, day, shards, now)));
  }

  /**
   * Counts an uncapped text (an answer to a contact who wrote): never refused. Into the shards' room while there
   * is some (so capped texts see it), else into the day's overflow item. Release it if the text is not stored.
   */
  public Reservation add(Group group, Instant now, int segments, String spreadKey) {
    LocalDate day = dayOf(group, now);
    long cap = group.dailySegmentCap();
    DynamoShards shards = new DynamoShards(group, day);
    Optional<List<Part>> parts = take(shards, cap, startShard(spreadKey, shards(cap)), segments);
    if (parts.isPresent()) {
      return new Reservation(group, day, parts.get(), false, segments, warn(group, day, shards, now));
    }
    update(shardKey(group, day, "X"), segments, day, group, Optional.empty());
    return new Reservation(group, day, List.of(), true, segments, false);
  }

  /** Gives a reservation back (its text was not stored). */
  public void release(Reservation r) {
    for (Part p : r.parts()) {
      update(shardKey(r.group(), r.day(), Integer.toString(p.shard())), -p.amount(), r.day(), r.group(), Optional.empty());
    }
    if (r.overflow()) {
      update(shardKey(r.group(), r.day(), "X"), -r.segments(), r.day(), r.group(), Optional.empty());
    }
  }

  /**
   * The unconditional ADD of {@code segments} to the shard of {@code spreadKey}, for a transaction that must
   * count a text it stores (a keyword's confirmation inside the reply transaction). Never refused; may take
   * that shard past its share by these segments (see the bound above).
   */
  public TransactWriteItem count(Group group, Instant now, int segments, String spreadKey) {
    LocalDate day = dayOf(group, now);
    int shard = startShard(spreadKey, shards(group.dailySegmentCap()));
    return TransactWriteItem.builder().update(Update.builder().tableName(table.name())
        .key(shardKey(group, day, Integer.toString(shard)))
        .updateExpression("ADD #s :n SET #exp = :exp")
        .expressionAttributeNames(Map.of("#s", A_SEGMENTS, "#exp", EXPIRES_AT))
        .expressionAttributeValues(Map.of(":n", n(segments), ":exp", n(expires(group, day))))
        .build()).build();
  }

  /** Segments counted today in the group's zone: the shards and the overflow, 1 BatchGetItem. */
  public long today(Group group, Instant now) {
    return sum(group, dayOf(group, now));
  }

  /** Whether the 80 % warning fired today (its flag item exists). 1 GetItem. */
  public boolean warned(Group group, Instant now) {
    var res = dynamo.getItem(GetItemRequest.builder().tableName(table.name())
        .key(shardKey(group, dayOf(group, now), "W")).build());
    return res.hasItem() && !res.item().isEmpty();
  }

  private long sum(Group group, LocalDate day) {
    int k = shards(group.dailySegmentCap());
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      keys.add(shardKey(group, day, Integer.toString(i)));
    }
    keys.add(shardKey(group, day, "X"));
    long total = 0;
    for (var item : reads.get(keys, false).values()) { // eventually consistent: half the RCU
      total += num(item, A_SEGMENTS, 0);
    }
    return total;
  }

  /** Fires the day's warning if an ADD of this reservation crossed a step and the sum confirms it. */
  private boolean warn(Group group, LocalDate day, DynamoShards shards, Instant now) {
    if (!shards.crossedStep) {
      return false;
    }
    long used = sum(group, day);
    if (used < WARNING_SHARE * group.dailySegmentCap()) {
      return false;
    }
    Map<String, AttributeValue> item = new HashMap<>(shardKey(group, day, "W"));
    item.put("used", n(used));
    item.put("atMs", n(now.toEpochMilli()));
    item.put(EXPIRES_AT, n(expires(group, day)));
    try {
      dynamo.putItem(PutItemRequest.builder().tableName(table.name()).item(item)
          .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build());
    } catch (ConditionalCheckFailedException e) {
      return false; // fired already today
    }
    LOG.info("10DLC warning: group " + group.id() + " has used " + used + " of its " + group.dailySegmentCap()
        + " daily segments (" + day + ")");
    return true;
  }

  private static long expires(Group group, LocalDate day) {
    return day.plusDays(3).atStartOfDay(group.zone()).toEpochSecond();
  }

  /** ADD {@code amount} to an item, conditioned on staying ≤ {@code limit} if given; the count after, or −(count) − 1. */
  private long update(Map<String, AttributeValue> key, long amount, LocalDate day, Group group, Optional<Long> limit) {
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":n", n(amount), ":exp", n(expires(group, day))));
    var req = UpdateItemRequest.builder().tableName(table.name()).key(key)
        .updateExpression("ADD #s :n SET #exp = :exp").returnValues(ReturnValue.UPDATED_NEW);
    if (limit.isPresent()) {
      values.put(":room", n(limit.get() - amount));
      req.conditionExpression("attribute_not_exists(#s) OR #s <= :room")
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    }
    req.expressionAttributeNames(Map.of("#s", A_SEGMENTS, "#exp", EXPIRES_AT)).expressionAttributeValues(values);
    try {
      return num(dynamo.updateItem(req.build()).attributes(), A_SEGMENTS, 0);
    } catch (ConditionalCheckFailedException e) {
      long count = e.hasItem() ? num(e.item(), A_SEGMENTS, 0) : 0;
      return -count - 1;
    }
  }

  /** The shards of one group's day in DynamoDB; notes whether an ADD crossed a warning step. */
  private final class DynamoShards implements Shards {
    private final Group group;
    private final LocalDate day;
    boolean crossedStep;

    DynamoShards(Group group, LocalDate day) {
      this.group = group;
      this.day = day;
    }

    @Override
    public long addIfAtMost(int i, long amount, long limit) {
      long r = update(shardKey(group, day, Integer.toString(i)), amount, day, group, Optional.of(limit));
      if (r >= 0 && crossesWarningStep(r - amount, r, limit)) {
        crossedStep = true;
      }
      return r;
    }

    @Override
    public long add(int i, long amount) {
      return update(shardKey(group, day, Integer.toString(i)), amount, day, group, Optional.empty());
    }
  }
}
