package dev.goalpost.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Query loops, in one place. DynamoDB stops a Query page at 1 MB of items read (before any filter) or at
 * {@code Limit} items evaluated, and says so with {@code LastEvaluatedKey}; one page is not "all", and a
 * filtered page can hold none of the matches that follow. Locally, the small-page mode (pages of 3, on for
 * the tests) makes every one of these loops run.
 *
 * <p>Costs. {@link #all} and {@link #count}: one request per 1 MB of items read (one request for anything
 * smaller, so the usual case costs what a single Query did); RCU as DynamoDB bills the items read, whatever
 * the pages. {@link #page}: one request when the first page fills the limit (always, without a filter, below
 * 1 MB); otherwise one more per page until the limit is filled, the key range ends or {@code maxRequests}.
 */
public final class Queries {
  private Queries() {}

  /** Every item the request's key condition (and filter) selects, following LastEvaluatedKey to the end. */
  public static List<Map<String, AttributeValue>> all(DynamoDbClient dynamo, QueryRequest request) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> start = request.hasExclusiveStartKey() ? request.exclusiveStartKey() : null;
    do {
      QueryResponse res = dynamo.query(start == null ? request : request.toBuilder().exclusiveStartKey(start).build());
      out.addAll(res.items());
      start = next(res);
    } while (start != null);
    return out;
  }

  /** The number of items a {@code Select COUNT} of the request finds, summed over every page. */
  public static int count(DynamoDbClient dynamo, QueryRequest request) {
    QueryRequest counting = request.toBuilder().select(Select.COUNT).build();
    int count = 0;
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse res = dynamo.query(start == null ? counting : counting.toBuilder().exclusiveStartKey(start).build());
      count += res.count();
      start = next(res);
    } while (start != null);
    return count;
  }

  /** Up to {@code limit} items and the key to continue after the last of them (null: nothing follows). */
  public record Page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> next) {}

  /**
   * Up to {@code limit} matching items from the request's start, reading on while fewer matched and the key
   * range goes on, for at most {@code maxRequests} requests. Without a filter each request asks for the
   * items still missing. With a filter each asks for the request's own {@code Limit} (how many items to
   * evaluate per request; {@code limit} if unset), and matches beyond {@code limit} are left for the next
   * page: the returned key is then the last returned item's own key (table key, plus the index's when the
   * request names one), so a cursor built from it starts right after that item. A page can come back short
   * (with a key) only when {@code maxRequests} ran out.
   */
  public static Page page(DynamoDbClient dynamo, QueryRequest request, int limit, int maxRequests) {
    boolean filtered = request.filterExpression() != null;
    int evaluate = request.limit() != null ? request.limit() : limit;
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    Map<String, AttributeValue> start = request.hasExclusiveStartKey() ? request.exclusiveStartKey() : null;
    for (int requests = 0; requests < maxRequests; requests++) {
      var req = request.toBuilder().limit(filtered ? evaluate : limit - out.size());
      if (start != null) {
        req.exclusiveStartKey(start);
      }
      QueryResponse res = dynamo.query(req.build());
      start = next(res);
      for (var item : res.items()) {
        if (out.size() == limit) {
          return new Page(out, keyOf(out.getLast(), request.indexName()));
        }
        out.add(item);
      }
      if (start == null || out.size() == limit) {
        return new Page(out, start);
      }
    }
    return new Page(out, start);
  }

  /** The key DynamoDB would give as LastEvaluatedKey after {@code item}: PK/SK, plus GSI1's for a GSI1 Query. */
  public static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item, String indexName) {
    Map<String, AttributeValue> key = new HashMap<>();
    List<String> names = indexName == null ? List.of(Table.PK, Table.SK)
        : List.of(Table.PK, Table.SK, Table.GSI1PK, Table.GSI1SK);
    for (String n : names) {
      if (item.containsKey(n)) {
        key.put(n, item.get(n));
      }
    }
    return key;
  }

  private static Map<String, AttributeValue> next(QueryResponse res) {
    return res.hasLastEvaluatedKey() && !res.lastEvaluatedKey().isEmpty() ? res.lastEvaluatedKey() : null;
  }
}
