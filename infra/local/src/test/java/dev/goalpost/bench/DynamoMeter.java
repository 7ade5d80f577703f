package dev.goalpost.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A global SDK interceptor (registered for every client of the JVM by
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors} in the test resources) with two jobs,
 * both off unless a test or the benchmark turns them on, so it costs nothing to the other ITs:
 *
 * <ol>
 *   <li><b>Metering.</b> A DynamoDB request made on a thread that has a {@link Sample} open (see
 *       {@link #measure}) is recorded in it: its operation name, and the capacity units DynamoDB would charge,
 *       computed from item sizes ({@link ItemSize}) because the emulator reports none. Handlers invoked on the
 *       measuring thread itself (the benchmark calls them in-process) are therefore attributed exactly, however
 *       many agents run at once. Write sizes need the item before and after the write: they are read around
 *       the request with an uncounted client ({@link #sizeReader}) while {@link #serializeEmulator} keeps
 *       every other request out, so the images are exactly this request's.</li>
 *   <li><b>Emulator atomicity.</b> moto serves requests on parallel threads and is not atomic inside one
 *       request: {@code TransactWriteItems} deep-copies the table, checks and applies its items one by one,
 *       and on cancellation puts the copy back — erasing whatever other requests wrote meanwhile. DynamoDB
 *       executes each request atomically. {@link #serializeEmulator} makes the JVM's DynamoDB requests go to
 *       the emulator one at a time, which restores per-request atomicity without changing what concurrency
 *       tests exercise: requests of different agents still interleave in any order, request by request.</li>
 * </ol>
 *
 * <p>For the hot-goal benchmark it also counts, per sample, the transactions DynamoDB cancelled with
 * {@code TransactionConflict} ({@link Sample#conflicts}), hands every committed write's key to a
 * {@link WriteLog} (per-item write rates), and, with {@link #conflictClock} on (and serialized), stamps each
 * DynamoDB request with {@code x-goalpost-issued-us} (when its caller issued it, before it waited for the gate)
 * and {@code x-goalpost-clock-us} (when it leaves), both on this JVM's clock less the time the meter spent on its
 * own sizing reads. The emulator's transaction-conflict window (read {@code emulator/goalpost_faults.py}) then
 * cancels a transaction issued while another request on one of its items was still in progress (queued ahead
 * of it here; in flight at the same time on DynamoDB), or less than the window after it committed — whatever
 * the emulator's speed, and without the meter's bookkeeping in the gaps. A sample opened with
 * {@link #measureUnsized} is counted but not sized (no image reads: its RCU/WCU stay 0), for benchmarks that
 * size only some samples of a crowd.
 */
public final class DynamoMeter implements ExecutionInterceptor {
  private static final ExecutionAttribute<Boolean> GATED = new ExecutionAttribute<>("goalpost.meter.gated");
  private static final ExecutionAttribute<Boolean> RECORDED = new ExecutionAttribute<>("goalpost.meter.recorded");
  private static final ExecutionAttribute<Sample> SAMPLE = new ExecutionAttribute<>("goalpost.meter.sample");
  private static final ExecutionAttribute<Map<String, Integer>> BEFORE = new ExecutionAttribute<>("goalpost.meter.before");

  private static final ReentrantLock GATE = new ReentrantLock(true);
  private static volatile boolean serialize;
  private static volatile boolean countStray;
  private static volatile DynamoDbClient sizeReader;
  /** Inheritable: a handler's own worker threads (the contact import's virtual threads) count to its sample. */
  private static final InheritableThreadLocal<Sample> CURRENT = new InheritableThreadLocal<>();
  private static final ThreadLocal<Boolean> OWN = ThreadLocal.withInitial(() -> false);
  private static final AtomicLong STRAY = new AtomicLong();
  private static final AtomicLong TOTAL = new AtomicLong();
  private static final AtomicLong SIZE_ERRORS = new AtomicLong();
  private static final AtomicLong CONFLICTS = new AtomicLong();
  /** Nanoseconds the meter spent reading images while it held the gate (left out of the emulator's clock). */
  private static final AtomicLong OWN_NANOS = new AtomicLong();
  public static final String CLOCK_HEADER = "x-goalpost-clock-us";
  public static final String ISSUED_HEADER = "x-goalpost-issued-us";
  private static final ExecutionAttribute<Long> ISSUED = new ExecutionAttribute<>("goalpost.meter.issued");
  private static volatile boolean conflictClock;
  private static volatile WriteLog writeLog;

  /**
   * Told of every committed write request of this JVM (in a sample or not, so a stream function's writes
   * count too; the meter's own reads never): the table and key of each item written, and when (System.nanoTime).
   */
  public interface WriteLog {
    void wrote(String table, String pk, String sk, long nanos);
  }

  /** Starts (or, with null, stops) telling {@code log} of every committed write. */
  public static void writeLog(WriteLog log) {
    writeLog = log;
  }

  /** Transactions cancelled with a TransactionConflict reason, seen by any request of this JVM (in a sample or not). */
  public static long conflicts() {
    return CONFLICTS.get();
  }

  /** Stamps DynamoDB requests with the conflict window's clock (see the class comment); off by default. */
  public static void conflictClock(boolean on) {
    conflictClock = on;
  }

  /** The clock the emulator's conflict window runs on while serialized: now, less the meter's own reads. */
  static long clockMicros() {
    return (System.nanoTime() - OWN_NANOS.get()) / 1000;
  }

  /** Item images the meter could not read (their writes were sized from the request alone). */
  public static long sizeErrors() {
    return SIZE_ERRORS.get();
  }

  /** Sends this JVM's DynamoDB requests to the emulator one at a time (see the class comment). */
  public static void serializeEmulator(boolean on) {
    serialize = on;
  }

  /** The client that reads item images for write sizes (its own requests are never counted); null: no sizes. */
  public static void sizeReader(DynamoDbClient client) {
    sizeReader = client;
  }

  /** Counts DynamoDB requests made outside any sample from now on (to show nothing leaks out of samples). */
  public static void countStrayRequests(boolean on) {
    countStray = on;
    STRAY.set(0);
  }

  public static long strayRequests() {
    return STRAY.get();
  }

  /** Every DynamoDB request this JVM made since it started (not counting the meter's own reads). */
  public static long totalRequests() {
    return TOTAL.get();
  }

  /** One measured operation: the DynamoDB requests made on this thread while it was open, and their cost. */
  public static final class Sample {
    final String operation;
    final List<String> requests = new ArrayList<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final java.util.Set<String> reads = new java.util.TreeSet<>();
    double rcu;
    double wcu;
    int attempts;
    int conflicts;
    final boolean sized;

    Sample(String operation, boolean sized) {
      this.operation = operation;
      this.sized = sized;
    }

    /** TransactWriteItems of this sample that DynamoDB cancelled with TransactionConflict. */
    public int conflicts() {
      return conflicts;
    }

    /** Whether RCU/WCU were computed (false: opened by {@link #measureUnsized}, or no size reader). */
    public boolean sized() {
      return sized && sizeReader != null;
    }

    public String operation() {
      return operation;
    }

    public int requestCount() {
      return requests.size();
    }

    public List<String> requests() {
      return List.copyOf(requests);
    }

    public double rcu() {
      return rcu;
    }

    /** The other AWS calls made while the sample was open ("Sqs SendMessage", "EventBridge PutEvents"). */
    public List<String> calls() {
      return List.copyOf(calls);
    }

    /** What each Query/Scan of the sample read: index (or table) and partition key, ids elided. */
    public java.util.Set<String> reads() {
      return java.util.Set.copyOf(reads);
    }

    public double wcu() {
      return wcu;
    }

    /** HTTP attempts (more than requests only if the SDK retried). */
    public int attempts() {
      return attempts;
    }

    @Override
    public String toString() {
      return operation + " " + requests + " rcu=" + rcu + " wcu=" + wcu;
    }
  }

  /** Runs {@code work} with a sample open on this thread and returns the sample (and work's value). */
  public static <T> Measured<T> measure(String operation, java.util.function.Supplier<T> work) {
    return measure(operation, true, work);
  }

  /** As {@link #measure}, but without capacity: requests, attempts and conflicts only (no image reads). */
  public static <T> Measured<T> measureUnsized(String operation, java.util.function.Supplier<T> work) {
    return measure(operation, false, work);
  }

  private static <T> Measured<T> measure(String operation, boolean sized, java.util.function.Supplier<T> work) {
    Sample previous = CURRENT.get();
    Sample s = new Sample(operation, sized);
    CURRENT.set(s);
    try {
      return new Measured<>(work.get(), s);
    } finally {
      CURRENT.set(previous);
    }
  }

  public record Measured<T>(T value, Sample sample) {}

  // ------------------------------------------------------------------ interceptor

  private static boolean isDynamo(ExecutionAttributes attrs) {
    return "DynamoDb".equalsIgnoreCase(attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
    if (OWN.get()) {
      return;
    }
    if (!isDynamo(attrs)) {
      Sample open = CURRENT.get();
      if (open != null) {
        open.calls.add(attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
            + attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
      }
      return;
    }
    TOTAL.incrementAndGet();
    if (conflictClock) {
      attrs.putAttribute(ISSUED, clockMicros());
    }
    Sample s = CURRENT.get();
    if (s == null) {
      if (countStray) {
        STRAY.incrementAndGet();
      }
      return;
    }
    attrs.putAttribute(SAMPLE, s);
  }

  /**
   * The gate is taken here, not in beforeExecution: from marshalling on, the SDK reports every failure to
   * {@link #onExecutionFailure}, so the gate is always given back (an exception in an interceptor's
   * beforeExecution would skip it and leave the gate held for ever).
   */
  @Override
  public void beforeMarshalling(Context.BeforeMarshalling context, ExecutionAttributes attrs) {
    if (!isDynamo(attrs)) {
      return;
    }
    if (serialize) {
      GATE.lock();
      attrs.putAttribute(GATED, true);
    }
    Sample s = attrs.getAttribute(SAMPLE);
    if (s != null && s.sized && sizeReader != null) {
      long t0 = System.nanoTime();
      try {
        attrs.putAttribute(BEFORE, beforeImages(context.request()));
      } catch (RuntimeException e) {
        SIZE_ERRORS.incrementAndGet();
        attrs.putAttribute(BEFORE, Map.of());
      } finally {
        ownTime(t0);
      }
    }
  }

  /** Leaves the meter's own work out of the emulator's clock, when it ran holding the gate (nothing else ran). */
  private static void ownTime(long since) {
    if (serialize) {
      OWN_NANOS.addAndGet(System.nanoTime() - since);
    }
  }

  @Override
  public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                                      ExecutionAttributes attrs) {
    if (!conflictClock || !serialize || !isDynamo(attrs)) {
      return context.httpRequest();
    }
    var http = context.httpRequest().toBuilder().putHeader(CLOCK_HEADER, Long.toString(clockMicros()));
    Long issued = attrs.getAttribute(ISSUED);
    if (issued != null) {
      http.putHeader(ISSUED_HEADER, Long.toString(issued));
    }
    return http.build();
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
    Sample s = attrs.getAttribute(SAMPLE);
    if (s != null) {
      synchronized (s) {
        s.attempts++;
      }
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attrs) {
    WriteLog log = writeLog;
    if (log != null && !OWN.get() && isDynamo(attrs)) {
      logWrites(log, context.request(), context.response());
    }
    try {
      record(attrs, context.request(), context.response());
    } catch (RuntimeException e) {
      SIZE_ERRORS.incrementAndGet();
    } finally {
      ungate(attrs);
    }
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attrs) {
    if (isDynamo(attrs) && !OWN.get() && isConflict(context.exception())) {
      CONFLICTS.incrementAndGet();
      Sample s = attrs.getAttribute(SAMPLE);
      if (s != null) {
        synchronized (s) {
          s.conflicts++;
        }
      }
    }
    try {
      record(attrs, context.request(), context.response().orElse(null));
    } catch (RuntimeException e) {
      SIZE_ERRORS.incrementAndGet();
    } finally {
      ungate(attrs);
    }
  }

  private static void ungate(ExecutionAttributes attrs) {
    if (Boolean.TRUE.equals(attrs.getAttribute(GATED))) {
      attrs.putAttribute(GATED, false);
      GATE.unlock();
    }
  }

  private static void record(ExecutionAttributes attrs, SdkRequest request, SdkResponse response) {
    Sample s = attrs.getAttribute(SAMPLE);
    if (s == null || Boolean.TRUE.equals(attrs.getAttribute(RECORDED))) {
      return;
    }
    long t0 = System.nanoTime();
    try {
      synchronized (s) { // a sample's handler may run requests on several threads at once
        recordInto(s, attrs, request, response);
      }
    } finally {
      if (s.sized) {
        ownTime(t0);
      }
    }
  }

  /** A cancelled transaction one of whose reasons is TransactionConflict. */
  static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException c) {
        return c.hasCancellationReasons()
            && c.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
      }
    }
    return false;
  }

  /** Every item a successful write request wrote (a transaction's condition checks write nothing). */
  private static void logWrites(WriteLog log, SdkRequest request, SdkResponse response) {
    long now = System.nanoTime();
    switch (request) {
      case PutItemRequest r -> log.wrote(r.tableName(), r.item().get("PK").s(), r.item().get("SK").s(), now);
      case UpdateItemRequest r -> log.wrote(r.tableName(), r.key().get("PK").s(), r.key().get("SK").s(), now);
      case DeleteItemRequest r -> log.wrote(r.tableName(), r.key().get("PK").s(), r.key().get("SK").s(), now);
      case BatchWriteItemRequest r -> {
        Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> unprocessed =
            response instanceof software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse b
                && b.hasUnprocessedItems() ? b.unprocessedItems() : Map.of();
        r.requestItems().forEach((table, writes) -> writes.stream()
            .filter(w -> !unprocessed.getOrDefault(table, List.of()).contains(w))
            .map(w -> w.putRequest() != null ? keyOf(w.putRequest().item()) : w.deleteRequest().key())
            .forEach(k -> log.wrote(table, k.get("PK").s(), k.get("SK").s(), now)));
      }
      case TransactWriteItemsRequest r -> r.transactItems().stream().filter(t -> t.conditionCheck() == null)
          .forEach(t -> log.wrote(tableOf(t), keyOf(t).get("PK").s(), keyOf(t).get("SK").s(), now));
      default -> { }
    }
  }

  private static void recordInto(Sample s, ExecutionAttributes attrs, SdkRequest request, SdkResponse response) {
    attrs.putAttribute(RECORDED, true);
    s.requests.add(attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    if (sizeReader == null || !s.sized) {
      return;
    }
    Map<String, Integer> before = Optional.ofNullable(attrs.getAttribute(BEFORE)).orElse(Map.of());
    switch (request) {
      case GetItemRequest r -> {
        int size = response instanceof GetItemResponse g && g.hasItem() ? ItemSize.of(g.item()) : 0;
        s.rcu += ItemSize.readUnits(size) * factor(r.consistentRead());
      }
      case BatchGetItemRequest r -> {
        BatchGetItemResponse res = response instanceof BatchGetItemResponse b ? b : null;
        r.requestItems().forEach((table, keys) -> {
          double f = factor(keys.consistentRead());
          List<Map<String, AttributeValue>> found = res == null ? List.of()
              : res.responses().getOrDefault(table, List.of());
          int unprocessed = res == null || !res.hasUnprocessedKeys() || res.unprocessedKeys().get(table) == null ? 0
              : res.unprocessedKeys().get(table).keys().size();
          for (var item : found) {
            s.rcu += ItemSize.readUnits(ItemSize.of(item)) * f;
          }
          // A key with no item still costs the minimum read, as in GetItem.
          s.rcu += Math.max(0, keys.keys().size() - found.size() - unprocessed) * f;
        });
      }
      case QueryRequest r -> {
        s.reads.add("Query " + (r.indexName() == null ? "table" : r.indexName()) + " " + partitionOf(r)
            + (r.limit() == null ? " (no Limit)" : " Limit " + r.limit()));
        List<Map<String, AttributeValue>> items = response instanceof QueryResponse q ? q.items() : List.of();
        if (r.select() == Select.COUNT) {
          items = readQuietly(() -> sizeReader.query(r.toBuilder().select(Select.ALL_ATTRIBUTES).build()).items());
        }
        s.rcu += ItemSize.readUnits(items.stream().mapToInt(ItemSize::of).sum()) * factor(r.consistentRead());
      }
      case ScanRequest r -> {
        s.reads.add("Scan " + r.tableName());
        List<Map<String, AttributeValue>> items = response instanceof ScanResponse q ? q.items() : List.of();
        s.rcu += ItemSize.readUnits(items.stream().mapToInt(ItemSize::of).sum()) * factor(r.consistentRead());
      }
      case TransactGetItemsRequest r -> {
        if (response instanceof TransactGetItemsResponse t) {
          t.responses().forEach(i -> s.rcu += 2 * ItemSize.readUnits(i.hasItem() ? ItemSize.of(i.item()) : 0));
        }
      }
      case PutItemRequest r -> s.wcu += ItemSize.writeUnits(Math.max(
          before.getOrDefault(id(r.tableName(), keyOf(r.item())), 0), ItemSize.of(r.item())));
      case UpdateItemRequest r -> {
        String id = id(r.tableName(), r.key());
        s.wcu += ItemSize.writeUnits(Math.max(before.getOrDefault(id, 0), currentSize(r.tableName(), r.key())));
      }
      case DeleteItemRequest r -> s.wcu += ItemSize.writeUnits(before.getOrDefault(id(r.tableName(), r.key()), 0));
      case BatchWriteItemRequest r -> r.requestItems().values().forEach(list -> list.forEach(w -> s.wcu +=
          ItemSize.writeUnits(w.putRequest() != null ? ItemSize.of(w.putRequest().item()) : 0)));
      case TransactWriteItemsRequest r -> {
        for (TransactWriteItem t : r.transactItems()) {
          String table = tableOf(t);
          Map<String, AttributeValue> key = keyOf(t);
          int old = before.getOrDefault(id(table, key), 0);
          int now;
          if (t.put() != null) {
            now = ItemSize.of(t.put().item());
          } else if (t.update() != null) {
            now = currentSize(table, key);
          } else {
            now = 0;
          }
          s.wcu += 2 * ItemSize.writeUnits(Math.max(old, now));
        }
      }
      default -> { }
    }
  }

  /** The partition a Query reads, its ids elided: ORG#{}#GOAL#{}#OPEN#I#ANY. */
  private static String partitionOf(QueryRequest r) {
    String expr = r.keyConditionExpression() == null ? "" : r.keyConditionExpression();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(#\\w+|\\w+)\\s*=\\s*(:\\w+)").matcher(expr);
    if (!m.find() || r.expressionAttributeValues() == null || !r.expressionAttributeValues().containsKey(m.group(2))) {
      return "?";
    }
    String pk = r.expressionAttributeValues().get(m.group(2)).s();
    return pk == null ? "?" : java.util.Arrays.stream(pk.split("#"))
        .map(part -> part.matches("[A-Z0-9_]+") ? part : "{}").collect(java.util.stream.Collectors.joining("#"));
  }

  private static double factor(Boolean consistent) {
    return Boolean.TRUE.equals(consistent) ? 1.0 : 0.5;
  }

  /** Sizes of the items a write request is about to change, read before it runs. */
  private static Map<String, Integer> beforeImages(SdkRequest request) {
    Map<String, Integer> out = new HashMap<>();
    switch (request) {
      case PutItemRequest r -> out.put(id(r.tableName(), keyOf(r.item())), currentSize(r.tableName(), keyOf(r.item())));
      case UpdateItemRequest r -> out.put(id(r.tableName(), r.key()), currentSize(r.tableName(), r.key()));
      case DeleteItemRequest r -> out.put(id(r.tableName(), r.key()), currentSize(r.tableName(), r.key()));
      case TransactWriteItemsRequest r -> r.transactItems().forEach(t ->
          out.put(id(tableOf(t), keyOf(t)), currentSize(tableOf(t), keyOf(t))));
      default -> { }
    }
    return out;
  }

  private static int currentSize(String table, Map<String, AttributeValue> key) {
    return readQuietly(() -> {
      var res = sizeReader.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build());
      return res.hasItem() ? ItemSize.of(res.item()) : 0;
    });
  }

  private static <T> T readQuietly(java.util.function.Supplier<T> read) {
    boolean was = OWN.get();
    OWN.set(true);
    try {
      return read.get();
    } finally {
      OWN.set(was);
    }
  }

  private static String tableOf(TransactWriteItem t) {
    if (t.put() != null) return t.put().tableName();
    if (t.update() != null) return t.update().tableName();
    if (t.delete() != null) return t.delete().tableName();
    return t.conditionCheck().tableName();
  }

  private static Map<String, AttributeValue> keyOf(TransactWriteItem t) {
    if (t.put() != null) return keyOf(t.put().item());
    if (t.update() != null) return t.update().key();
    if (t.delete() != null) return t.delete().key();
    return t.conditionCheck().key();
  }

  /** The single table's key (PK, SK) of a whole item. */
  private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
    return Map.of("PK", item.get("PK"), "SK", item.get("SK"));
  }

  private static String id(String table, Map<String, AttributeValue> key) {
    return table + "|" + key.get("PK").s() + "|" + key.get("SK").s();
  }
}
