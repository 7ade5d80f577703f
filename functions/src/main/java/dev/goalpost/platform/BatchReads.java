package dev.goalpost.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Every BatchGetItem of the functions goes through here (hot paths read goal, state and lease together: one
 * request instead of three). Missing items are absent from the answer.
 *
 * <ul>
 *   <li><b>Any number of keys.</b> DynamoDB refuses more than 100 keys per request, so the keys go in
 *       requests of 100 (the review page asks 2 keys per row, up to 200: 2 requests instead of 1 refused).
 *   <li><b>UnprocessedKeys are retried</b>, as DynamoDB asks, with exponential backoff and full jitter: before
 *       each retry the thread waits a random time in [0, min(1 s, 25 ms × 2^k)], k = the retries in a row
 *       that answered no key. The exponent grows only while retries make no progress, and after
 *       {@value #MAX_ATTEMPTS_WITHOUT_PROGRESS} such attempts in a row the read fails; a retry that answered
 *       keys resets it (DynamoDB returns unprocessed keys when a response passes 16 MB or the table throttles:
 *       a partial answer is progress). Cost: 1 request per 100 keys when nothing is left unprocessed, the
 *       usual case; each retry is one more request for the keys left.
 * </ul>
 */
public final class BatchReads {
  static final int MAX_KEYS_PER_REQUEST = 100;
  static final int MAX_ATTEMPTS_WITHOUT_PROGRESS = 8;
  static final long BASE_DELAY_MS = 25;
  static final long MAX_DELAY_MS = 1_000;

  /** How the retry waits; tests of the loop give one that records instead of sleeping. */
  public interface Pause {
    void millis(long ms) throws InterruptedException;
  }

  private final DynamoDbClient dynamo;
  private final Table table;
  private final Pause pause;

  public BatchReads(DynamoDbClient dynamo, Table table) {
    this(dynamo, table, Thread::sleep);
  }

  public BatchReads(DynamoDbClient dynamo, Table table, Pause pause) {
    this.dynamo = dynamo;
    this.table = table;
    this.pause = pause;
  }

  /** Items by "PK|SK", strongly consistent. */
  public Map<String, Map<String, AttributeValue>> get(List<Map<String, AttributeValue>> keys) {
    return get(keys, true);
  }

  /** Items by "PK|SK", any number of keys (duplicates are read once). */
  public Map<String, Map<String, AttributeValue>> get(List<Map<String, AttributeValue>> keys, boolean consistent) {
    Map<String, Map<String, AttributeValue>> unique = new java.util.LinkedHashMap<>();
    keys.forEach(k -> unique.putIfAbsent(id(k), k));
    List<Map<String, AttributeValue>> all = new ArrayList<>(unique.values());
    Map<String, Map<String, AttributeValue>> out = new HashMap<>();
    for (int from = 0; from < all.size(); from += MAX_KEYS_PER_REQUEST) {
      read(all.subList(from, Math.min(all.size(), from + MAX_KEYS_PER_REQUEST)), consistent, out);
    }
    return out;
  }

  private void read(List<Map<String, AttributeValue>> keys, boolean consistent,
                    Map<String, Map<String, AttributeValue>> out) {
    Map<String, KeysAndAttributes> request = Map.of(table.name(),
        KeysAndAttributes.builder().keys(new ArrayList<>(keys)).consistentRead(consistent).build());
    int withoutProgress = 0;
    while (true) {
      var res = dynamo.batchGetItem(BatchGetItemRequest.builder().requestItems(request).build());
      var items = res.responses().getOrDefault(table.name(), List.of());
      items.forEach(item -> out.put(id(item), item));
      if (!res.hasUnprocessedKeys() || res.unprocessedKeys().isEmpty()) {
        return;
      }
      int asked = request.values().stream().mapToInt(k -> k.keys().size()).sum();
      int left = res.unprocessedKeys().values().stream().mapToInt(k -> k.keys().size()).sum();
      withoutProgress = left < asked ? 0 : withoutProgress + 1;
      if (withoutProgress >= MAX_ATTEMPTS_WITHOUT_PROGRESS) {
        throw new IllegalStateException("DynamoDB left " + left + " keys unprocessed " + withoutProgress
            + " times in a row");
      }
      request = res.unprocessedKeys();
      backoff(withoutProgress);
    }
  }

  /** Full jitter: a random wait in [0, min(MAX, BASE × 2^n)], n = retries in a row without progress. */
  private void backoff(int withoutProgress) {
    long cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS << Math.min(withoutProgress, 20));
    try {
      pause.millis(ThreadLocalRandom.current().nextLong(cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while retrying unprocessed keys", e);
    }
  }

  public static String id(Map<String, AttributeValue> keyOrItem) {
    return keyOrItem.get(Table.PK).s() + "|" + keyOrItem.get(Table.SK).s();
  }
}
