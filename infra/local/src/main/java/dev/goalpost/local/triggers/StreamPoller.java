package dev.goalpost.local.triggers;

import dev.goalpost.local.faults.FaultPlan;
import dev.goalpost.local.faults.Faults;
import dev.goalpost.local.functions.EventSource;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.local.iam.Caller;
import dev.goalpost.platform.AttributeJson;
import dev.goalpost.platform.Json;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A Lambda event source mapping for one {@code Type: DynamoDB} event: reads each shard of the table's stream
 * in order (DescribeStream, GetShardIterator at {@code StartingPosition}, GetRecords), and invokes the function
 * with Lambda's DynamoDB event JSON ({@code Records[].eventID, eventName, dynamodb.Keys/NewImage/OldImage/
 * SequenceNumber/SizeBytes/StreamViewType, eventSourceARN}) the way the mapping does:
 * <ul>
 *   <li>a batch is up to {@code BatchSize} records of one shard; it waits for more at most
 *       {@code MaximumBatchingWindowInSeconds} after its first record arrived (0: invoke at once);</li>
 *   <li>records of a shard are handed over in order, one batch at a time: the shard does not move on until the
 *       batch succeeded, its retries ran out, or it was sent to the on-failure destination;</li>
 *   <li>{@code ReportBatchItemFailures}: {@code batchItemFailures[].itemIdentifier} is a record's
 *       {@code SequenceNumber}; the records before the first reported one are done and the batch is retried from
 *       it (a malformed report fails the whole batch); a function error retries the whole batch, halved each time
 *       with {@code BisectBatchOnFunctionError};</li>
 *   <li>after {@code MaximumRetryAttempts} retries (-1: forever) the batch's description (Lambda's
 *       {@code DDBStreamBatchInfo}: shard, first and last sequence number) goes to
 *       {@code DestinationConfig.OnFailure} (an SQS queue) and the shard moves on.</li>
 * </ul>
 * The stream is read and the on-failure message sent as the function's execution role (IAM enforced: SAM gives
 * that role {@code AWSLambdaDynamoDBExecutionRole} and, for {@code OnFailure.Type: SQS}, SendMessage there). In
 * fault mode ({@code duplicate}) a batch that succeeded is delivered once more, as Lambda may redeliver.
 * With {@code TumblingWindowInSeconds} the event also carries {@code shardId}, {@code window} and {@code state}
 * (the state the previous invocation of the window returned), and a response without {@code state} fails.
 * What differs from AWS: the shard list is read once at start (moto keeps one shard and never splits it), and the
 * idle poll is every {@value #IDLE_POLL_MS} ms (Lambda polls each shard about four times a second).
 */
public final class StreamPoller implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StreamPoller.class.getName());
  static final int IDLE_POLL_MS = 100;
  /**
   * {@code -Dgoalpost.stream.maxBatchingWindowMillis=N}: caps every mapping's batching window at N ms (the suite
   * runs with 200 to wait less per settle; a window is only an upper bound on batching, so no code can depend on
   * it). Unset: the template's {@code MaximumBatchingWindowInSeconds}.
   */
  static final long MAX_WINDOW_MILLIS = Long.getLong("goalpost.stream.maxBatchingWindowMillis", Long.MAX_VALUE);

  /** The batching window this local cloud applies to a mapping's {@code MaximumBatchingWindowInSeconds}. */
  public static java.time.Duration effectiveWindow(int batchingWindowSeconds) {
    return java.time.Duration.ofMillis(Math.min(MAX_WINDOW_MILLIS, TimeUnit.SECONDS.toMillis(batchingWindowSeconds)));
  }

  private long windowNanos() {
    return effectiveWindow(source.batchingWindowSeconds()).toNanos();
  }

  private final DynamoDbStreamsClient streams;
  private final SqsClient sqs;
  private final HostedFunction function;
  private final EventSource.DynamoDb source;
  private final String region;
  private final List<ShardState> shards = new ArrayList<>();
  private final Object lock = new Object();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean inFlight;

  private static final class ShardState {
    final String shardId;
    String iterator;
    final Deque<Record> buffer = new ArrayDeque<>();
    long firstBufferedNanos;
    int attempts;
    int limit;
    Map<String, Object> state = Map.of();
    long windowStart = -1;

    ShardState(String shardId, String iterator, int limit) {
      this.shardId = shardId;
      this.iterator = iterator;
      this.limit = limit;
    }
  }

  public StreamPoller(DynamoDbStreamsClient streams, SqsClient sqs, HostedFunction function,
                      EventSource.DynamoDb source, String region) {
    this.streams = streams;
    this.sqs = sqs;
    this.function = function;
    this.source = source;
    this.region = region;
    ShardIteratorType start = ShardIteratorType.fromValue(source.startingPosition());
    List<Shard> listed = asRole(() -> streams.describeStream(r -> r.streamArn(source.streamArn())))
        .streamDescription().shards();
    for (Shard s : listed) {
      String it = asRole(() -> streams.getShardIterator(r -> r.streamArn(source.streamArn()).shardId(s.shardId())
          .shardIteratorType(start))).shardIterator();
      shards.add(new ShardState(s.shardId(), it, Math.max(1, source.batchSize())));
    }
    this.thread = Thread.ofPlatform().daemon().name("stream-" + function.spec().logicalId() + "-" + source.name())
        .unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  private <T> T asRole(Caller.Work<T, RuntimeException> work) {
    return Caller.runAs(function.caller(), work);
  }

  private void loop() {
    while (running.get()) {
      boolean worked = false;
      for (ShardState shard : shards) {
        try {
          worked |= step(shard);
        } catch (RuntimeException e) {
          if (!running.get()) {
            return;
          }
          LOG.log(Level.WARNING, "Reading stream " + source.streamArn() + " failed; retrying", e);
          pause(1000);
        }
      }
      if (!worked) {
        pause(IDLE_POLL_MS);
      }
    }
  }

  /** Fetches what the shard has, and invokes the function when a batch is ready. True when it did either. */
  private boolean step(ShardState shard) {
    boolean fetched = false;
    synchronized (lock) {
      if (shard.iterator != null && shard.buffer.size() < source.batchSize()) {
        var res = asRole(() -> streams.getRecords(r -> r.shardIterator(shard.iterator)
            .limit(Math.min(1000, Math.max(1, source.batchSize() - shard.buffer.size())))));
        if (!res.records().isEmpty()) {
          if (shard.buffer.isEmpty()) {
            shard.firstBufferedNanos = System.nanoTime();
          }
          shard.buffer.addAll(res.records());
          fetched = true;
        }
        shard.iterator = res.nextShardIterator(); // null once a closed shard is read to its end
      }
      if (shard.buffer.isEmpty()) {
        return fetched;
      }
      boolean full = shard.buffer.size() >= source.batchSize();
      boolean waited = System.nanoTime() - shard.firstBufferedNanos >= windowNanos();
      if (!full && !waited && shard.attempts == 0) {
        return fetched; // the batching window is still open
      }
      inFlight = true;
    }
    try {
      deliver(shard);
    } finally {
      inFlight = false;
    }
    return true;
  }

  private void deliver(ShardState shard) {
    List<Record> batch = new ArrayList<>();
    for (Record r : shard.buffer) {
      if (batch.size() >= Math.min(shard.limit, source.batchSize())) {
        break;
      }
      batch.add(r);
    }
    int done = invoke(shard, batch);
    if (done == batch.size() && Faults.shared().inject(FaultPlan.Kind.DUPLICATE, source.streamArn())) {
      // At-least-once: the mapping hands the same batch over again (as after a lost checkpoint).
      LOG.info(() -> "fault mode: delivering a stream batch of " + batch.size() + " to " + function.spec().logicalId() + " twice");
      invoke(shard, batch);
    }
    synchronized (lock) {
      for (int i = 0; i < Math.max(0, done); i++) {
        shard.buffer.pollFirst();
      }
      if (done == batch.size()) {
        shard.attempts = 0;
        shard.limit = source.batchSize();
        return;
      }
      shard.attempts++;
      if (done < 0 && source.bisectOnError()) {
        shard.limit = Math.max(1, batch.size() / 2);
      }
      int max = source.maxRetryAttempts();
      if (max >= 0 && shard.attempts > max) {
        List<Record> failed = new ArrayList<>();
        int size = done < 0 ? Math.max(1, Math.min(shard.limit, batch.size())) : batch.size() - done;
        for (int i = 0; i < size && !shard.buffer.isEmpty(); i++) {
          failed.add(shard.buffer.pollFirst());
        }
        discard(shard, failed);
        shard.attempts = 0;
        shard.limit = source.batchSize();
        return;
      }
    }
    pause(Math.min(2000, 100L * shard.attempts)); // Lambda backs off between retries of a batch
  }

  /**
   * Invokes the function with {@code batch}; answers how many leading records are done: all of them on
   * success, those before the first reported failure, or -1 when the function failed.
   */
  private int invoke(ShardState shard, List<Record> batch) {
    Object result;
    Map<String, Object> event = new LinkedHashMap<>(event(batch, source.streamArn(), region));
    long window = source.tumblingWindowSeconds() * 1000L;
    if (window > 0) {
      // A tumbling window: the event names its shard and window and carries the state the last invocation of
      // the window returned (a new window starts empty; the window's final invocation is not emulated).
      long start = System.currentTimeMillis() / window * window;
      if (start != shard.windowStart) {
        shard.windowStart = start;
        shard.state = Map.of();
      }
      event.put("window", Map.of("start", Instant.ofEpochMilli(start).toString(),
          "end", Instant.ofEpochMilli(start + window).toString()));
      event.put("state", shard.state);
      event.put("shardId", shard.shardId);
      event.put("eventSourceARN", source.streamArn());
      event.put("isFinalInvokeForWindow", false);
      event.put("isWindowTerminatedEarly", false);
    }
    try {
      result = function.invoke(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, function.spec().logicalId() + " failed a stream batch of " + batch.size()
          + " from " + source.name() + "; retrying" + (source.bisectOnError() ? " (bisected)" : ""), e);
      return -1;
    }
    Map<?, ?> response = result == null ? Map.of()
        : result instanceof Map<?, ?> m ? m : Json.MAPPER.convertValue(result, Map.class);
    if (window > 0) {
      if (!(response.get("state") instanceof Map<?, ?> state)) {
        // Lambda treats a windowed invocation whose response has no state as failed.
        LOG.warning(() -> function.spec().logicalId() + " answered a tumbling-window batch without state; retrying");
        return -1;
      }
      Map<String, Object> kept = new LinkedHashMap<>();
      state.forEach((k, v) -> kept.put(String.valueOf(k), v));
      shard.state = kept;
    }
    if (!source.reportBatchItemFailures() || result == null) {
      return batch.size();
    }
    Object failures = response.get("batchItemFailures");
    if (!(failures instanceof List<?> list) || list.isEmpty()) {
      return batch.size();
    }
    Set<String> failed = new HashSet<>();
    for (Object f : list) {
      Object id = f instanceof Map<?, ?> fm ? fm.get("itemIdentifier") : null;
      if (id == null || String.valueOf(id).isBlank()) {
        LOG.warning(() -> function.spec().logicalId() + " reported a failure without itemIdentifier; retrying the whole batch");
        return 0;
      }
      failed.add(String.valueOf(id));
    }
    for (int i = 0; i < batch.size(); i++) {
      if (failed.contains(batch.get(i).dynamodb().sequenceNumber())) {
        return i;
      }
    }
    LOG.warning(() -> function.spec().logicalId() + " reported unknown sequence numbers " + failed + "; retrying the whole batch");
    return 0;
  }

  /** Lambda's on-failure record for a stream batch: where it was, not the records (they stay in the stream). */
  private void discard(ShardState shard, List<Record> failed) {
    if (failed.isEmpty()) {
      return;
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("shardId", shard.shardId);
    info.put("startSequenceNumber", failed.getFirst().dynamodb().sequenceNumber());
    info.put("endSequenceNumber", failed.getLast().dynamodb().sequenceNumber());
    info.put("approximateArrivalOfFirstRecord", String.valueOf(failed.getFirst().dynamodb().approximateCreationDateTime()));
    info.put("approximateArrivalOfLastRecord", String.valueOf(failed.getLast().dynamodb().approximateCreationDateTime()));
    info.put("batchSize", failed.size());
    info.put("streamArn", source.streamArn());
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("requestContext", Map.of("requestId", UUID.randomUUID().toString(),
        "functionArn", function.spec().functionArn(), "condition", "RetryAttemptsExhausted",
        "approximateInvokeCount", source.maxRetryAttempts() + 1));
    message.put("version", "1.0");
    message.put("timestamp", Instant.now().toString());
    message.put("DDBStreamBatchInfo", info);
    LOG.warning(() -> function.spec().logicalId() + ": " + failed.size() + " stream record(s) failed every retry; "
        + (source.onFailureArn() == null ? "dropped (no on-failure destination)" : "described on " + source.onFailureArn()));
    if (source.onFailureArn() != null) {
      // Lambda sends to the destination's ARN: only SendMessage is the role's (the URL lookup is ours).
      String name = source.onFailureArn().substring(source.onFailureArn().lastIndexOf(':') + 1);
      String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
      asRole(() -> sqs.sendMessage(r -> r.queueUrl(url).messageBody(Json.write(message))));
    }
  }

  /** The event Lambda's DynamoDB event source mapping hands a function for {@code records} of that stream. */
  public static Map<String, Object> event(List<Record> records, String streamArn, String region) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Record r : records) {
      Map<String, Object> ddb = new LinkedHashMap<>();
      var d = r.dynamodb();
      if (d.approximateCreationDateTime() != null) {
        ddb.put("ApproximateCreationDateTime", d.approximateCreationDateTime().toEpochMilli() / 1000.0);
      }
      ddb.put("Keys", AttributeJson.json(d.keys()));
      if (d.hasNewImage()) {
        ddb.put("NewImage", AttributeJson.json(d.newImage()));
      }
      if (d.hasOldImage()) {
        ddb.put("OldImage", AttributeJson.json(d.oldImage()));
      }
      ddb.put("SequenceNumber", d.sequenceNumber());
      ddb.put("SizeBytes", d.sizeBytes());
      ddb.put("StreamViewType", d.streamViewTypeAsString());
      Map<String, Object> rec = new LinkedHashMap<>();
      rec.put("eventID", r.eventID());
      rec.put("eventName", r.eventNameAsString());
      rec.put("eventVersion", "1.1");
      rec.put("eventSource", "aws:dynamodb");
      rec.put("awsRegion", region);
      rec.put("dynamodb", ddb);
      rec.put("eventSourceARN", streamArn);
      out.add(rec);
    }
    return Map.of("Records", out);
  }

  /**
   * True when no batch is being handled, nothing is buffered, and every shard has no record past what was
   * read: every stream record written before this call has been handed to the function (or discarded).
   */
  public boolean isDrained() {
    if (inFlight) {
      return false;
    }
    synchronized (lock) {
      if (inFlight) {
        return false;
      }
      for (ShardState s : shards) {
        if (!s.buffer.isEmpty()) {
          return false;
        }
        if (s.iterator != null && !asRole(() -> streams.getRecords(r -> r.shardIterator(s.iterator).limit(1)))
            .records().isEmpty()) {
          return false;
        }
      }
      return !inFlight;
    }
  }

  private void pause(long ms) {
    try {
      closing.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public void requestStop() {
    running.set(false);
    closing.countDown();
  }

  @Override
  public void close() {
    requestStop();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
