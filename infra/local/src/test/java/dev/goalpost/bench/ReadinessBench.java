package dev.goalpost.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.goalpost.local.LocalClock;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.local.triggers.SqsPoller;
import dev.goalpost.platform.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Deploy readiness in one table: for each operation of a goal's life, the DynamoDB requests and capacity units
 * it costs, the other AWS calls it makes (SQS, EventBridge, the SMS provider), and its time per call here;
 * then each function's init time in a fresh JVM ({@link InitTimes}).
 *
 * <pre>make readiness</pre>  (writes {@code infra/local/target/bench/readiness.md})
 *
 * <h2>How it measures</h2>
 * <ul>
 *   <li>A local cloud on moto with its queue triggers off: the benchmark plays Lambda's SQS event source
 *       itself, receiving each message and invoking the function on its own thread. Every call a function
 *       makes therefore lands in that operation's {@link DynamoMeter} sample, including the asynchronous
 *       halves (the sender behind a send, the processor behind a webhook). The receive and delete around an
 *       invocation are the event source mapping's, not the function's, and are not counted.</li>
 *   <li>HTTP operations run in-process through {@link InProcessApi} (same routes, authorizer and events as the
 *       HTTP server). Twilio webhooks are signed as Twilio signs them.</li>
 *   <li>Capacity from item sizes, as in {@link WorkflowsBench}. Times are wall-clock milliseconds per call
 *       against moto on this machine: they show where time goes, not what DynamoDB would take.</li>
 *   <li>{@code -Dbench.contacts} (default 1000) contacts are imported through the API; {@code -Dbench.repeat}
 *       (default 5) samples of each repeated operation; {@code -Dbench.init=false} skips the init times.</li>
 * </ul>
 */
public final class ReadinessBench {
  static final Instant LAUNCH = Instant.parse("2026-12-01T16:00:00Z");
  static final Instant ACTIVE = Instant.parse("2026-12-02T16:00:00Z");

  private final LocalCloud cloud;
  private final InProcessApi api;
  private final int contacts = Integer.getInteger("bench.contacts", 1000);
  private final int repeat = Integer.getInteger("bench.repeat", 5);
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  /** The last event each function got (a light, typical one), for the init-time probes. */
  final Map<String, Object> lastEvents = new LinkedHashMap<>();

  /** One operation: its samples and the wall time of each. */
  record Row(String operation, List<DynamoMeter.Sample> samples, List<Double> millis) {}

  ReadinessBench(LocalCloud cloud) {
    this.cloud = cloud;
    this.api = new InProcessApi(cloud);
    api.onInvoke((function, event) -> lastEvents.put(function, event));
  }

  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench/readiness.md");
    BenchRun.main("ready", out, false, (cloud, dynamo) -> {
      ReadinessBench bench = new ReadinessBench(cloud);
      bench.run();
      String report = bench.report();
      if (!"false".equals(System.getProperty("bench.init"))) {
        report += "\n" + new InitTimes(cloud, bench.lastEvents).run();
      }
      return report;
    });
  }

  // ------------------------------------------------------------------ the goal's life

  void run() throws Exception {
    LocalClock clock = LocalClock.shared();
    clock.set(LAUNCH, true);
    String org = "ready-" + UUID.randomUUID().toString().substring(0, 6);
    String admin = api.token("admin-" + org, org, List.of("admin"), List.of());
    String number = "+17372" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    var g = measure("create group", () -> api.post("/groups", admin, Map.of("name", "Readiness",
        "timeZone", "America/Chicago", "phoneNumbers", List.of(number))));
    require(g.status() == 201, "group " + g.text());
    String group = g.json().path("id").asText();
    measure("add member", () -> api.put("/groups/" + group + "/members/ari", admin, Map.of("role", "agent")));
    String ari = api.token("ari", org, List.of("agent"), List.of(group));

    List<String> phones = new ArrayList<>();
    for (int from = 0; from < contacts; from += 1000) {
      List<Object> batch = new ArrayList<>();
      for (int i = from; i < Math.min(contacts, from + 1000); i++) {
        String phone = "+1512" + String.format("%07d", 2_000_000 + i);
        phones.add(phone);
        batch.add(Map.of("phone", phone, "firstName", "P" + i, "tags", List.of("volunteer")));
      }
      var imported = measure("contact import (1,000 rows)", () ->
          api.post("/groups/" + group + "/contacts", admin, Map.of("contacts", batch)));
      require(imported.status() == 200, "import " + imported.text());
    }

    Map<String, Object> goal = BenchRun.rallyGoal("Rally");
    var created = measure("create goal", () -> api.post("/groups/" + group + "/goals", admin, goal));
    require(created.status() == 201, "goal " + created.text());
    String goalId = created.json().path("id").asText();
    String script = created.json().path("scripts").path("initial").get(0).path("id").asText();
    require(measure("launch goal", () -> api.post("/goals/" + goalId + "/launch", admin, null)).status() == 200, "launch");

    clock.set(ACTIVE, true);
    HostedFunction transitions = function("TransitionsFunction");
    Map<String, Object> tick = Map.of("source", "aws.scheduler", "time", ACTIVE.toString());
    lastEvents.put("TransitionsFunction", tick);
    measure("transitions tick, 1 goal due", () -> transitions.invoke(tick));
    measure("transitions tick, nothing due", () -> transitions.invoke(tick));
    int pages = drain("ActivationQueue", "ActivationWorkerFunction", "activation worker (per message)", 1);
    notes.add(String.format("Activation of %,d contacts took %d worker invocation(s); per 1,000 contacts see "
        + "WorkflowsBench (2 requests per page).", contacts, pages));

    // Agent: claim, send, lead actions; the sender behind each send.
    var claim = measure("claim initial", () -> api.post("/goals/" + goalId + "/workflows/initial/claim", ari, null));
    require(claim.status() == 200, "claim " + claim.text());
    String batchId = claim.json().path("batchId").asText();
    List<String> threads = new ArrayList<>();
    List<String> claimedPhones = new ArrayList<>();
    project(null); // the stream so far (imports, activation), unmeasured
    for (int i = 0; i < repeat + 1; i++) {
      var c = claim.json().path("contacts").get(i);
      String thread = c.path("threadId").asText();
      var sent = measure("send (API)", () -> api.post("/threads/" + thread + "/messages", ari,
          Map.of("batchId", batchId, "scriptId", script)));
      require(sent.status() == 201, "send " + sent.text());
      threads.add(thread);
      claimedPhones.add(phoneOf(admin, group, c.path("contactId").asText()));
      project("projection: 1 send per batch, hop 1 (result, conversation row, queue)");
      project("projection: 1 send per batch, hop 2 (goal + agent counters)");
      project(null);
    }
    for (int i = repeat + 1; i < repeat + 11; i++) {
      String thread = claim.json().path("contacts").get(i).path("threadId").asText();
      require(api.post("/threads/" + thread + "/messages", ari, Map.of("batchId", batchId, "scriptId", script))
          .status() == 201, "send");
    }
    project("projection: 10 sends in one batch, hop 1");
    project("projection: 10 sends in one batch, hop 2");
    project(null);
    drain("OutboundQueue", "SenderFunction", "sender (per message)", 1);
    // The same batch claimed again while held (a lost answer): its unsent contacts come from its threads' refs.
    var again = measure("claim initial again (held batch: its unsent contacts)", () ->
        api.post("/goals/" + goalId + "/workflows/initial/claim", ari, null));
    require(again.status() == 200 && again.json().path("contacts").size() == claim.json().path("contacts").size()
        - (repeat + 11), "claim again " + again.text());
    // A free text to a contact nobody messaged yet (it waits in a batch: BatchHolds reads that batch).
    String waiting = claim.json().path("contacts").get(repeat + 11).path("threadId").asText();
    var first = measure("send free text, first text to a contact (API)", () -> api.post("/threads/" + waiting
        + "/messages", ari, Map.of("body", "Hi, it's Ari from the rally team", "goalId", goalId)));
    require(first.status() == 201, "free text " + first.text());
    drain("OutboundQueue", "SenderFunction", "sender (per message)", 1);
    // A second agent finishes a whole batch; their next claim closes it and takes the next one.
    measure("add member", () -> api.put("/groups/" + group + "/members/bo", admin, Map.of("role", "agent")));
    String bo = api.token("bo", org, List.of("agent"), List.of(group));
    var boClaim = api.post("/goals/" + goalId + "/workflows/initial/claim", bo, null);
    require(boClaim.status() == 200, "bo claim " + boClaim.text());
    for (var c : boClaim.json().path("contacts")) {
      var sent = api.post("/threads/" + c.path("threadId").asText() + "/messages", bo,
          Map.of("batchId", boClaim.json().path("batchId").asText(), "scriptId", script));
      require(sent.status() == 201, "bo send " + sent.text());
    }
    drain("OutboundQueue", "SenderFunction", "sender (per message)", 1);
    var next = measure("claim initial, next batch (closes the finished one)", () ->
        api.post("/goals/" + goalId + "/workflows/initial/claim", bo, null));
    require(next.status() == 200 && !next.json().path("batchId").asText().equals(boClaim.json().path("batchId").asText()),
        "bo next " + next.text());
    for (int i = 0; i < repeat; i++) {
      String thread = threads.get(i);
      String action = i % 2 == 0 ? "YES" : "NO";
      var lead = measure("lead action", () -> api.post("/threads/" + thread + "/lead-action", ari,
          Map.of("goalId", goalId, "action", action)));
      require(lead.status() == 200, "lead " + lead.text());
    }

    // Carrier: delivery receipts, replies, an opt-out.
    for (var sent : dev.goalpost.local.carrier.LocalOutbox.shared().all().stream()
        .filter(s -> s.from().equals(number)).limit(repeat).toList()) {
      measureWebhook("webhook: delivery receipt", "/webhooks/twilio/status", Map.of("MessageSid",
          sent.providerMessageId(), "MessageStatus", "delivered", "SmsStatus", "delivered",
          "AccountSid", "AClocal00000000000000000000000000", "ApiVersion", "2010-04-01"));
    }
    drain("InboundQueue", "InboundProcessorFunction", "inbound processor: receipt (per message)", 1);
    for (int i = 0; i < repeat; i++) {
      measureWebhook("webhook: reply", "/webhooks/twilio/messages", reply(claimedPhones.get(i), number, "Yes, count me in " + i));
    }
    drain("InboundQueue", "InboundProcessorFunction", "inbound processor: reply (per message)", 1);
    // A phone the group never imported: the contact is created in the reply's transaction (group inbox).
    measureWebhook("webhook: reply", "/webhooks/twilio/messages",
        reply("+1737" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000)), number, "Who is this?"));
    drain("InboundQueue", "InboundProcessorFunction", "inbound processor: reply from a new phone", 1);
    project("projection: 5 replies (and 5 receipts) in one batch, hop 1");
    project("projection: 5 replies in one batch, hop 2");
    project(null);
    measureWebhook("webhook: STOP", "/webhooks/twilio/messages", reply(claimedPhones.get(repeat), number, "STOP"));
    drain("InboundQueue", "InboundProcessorFunction", "inbound processor: STOP (opt-out + confirmation)", 1);
    drain("OutboundQueue", "SenderFunction", "sender: STOP confirmation", 1);
    measureWebhook("webhook: START", "/webhooks/twilio/messages", reply(claimedPhones.get(repeat), number, "START"));
    drain("InboundQueue", "InboundProcessorFunction", "inbound processor: START (opt-in + confirmation)", 1);
    drain("OutboundQueue", "SenderFunction", "sender: START confirmation", 1);
    var optOut = measure("agent opt-out action", () -> api.post("/threads/" + threads.get(repeat) + "/opt-out", ari, null));
    require(optOut.status() == 200, "opt-out " + optOut.text());

    require(measure("release batch", () -> api.post("/batches/" + batchId + "/release", ari, null)).status() == 204, "release");
    // Replies wait for the unread workflow once the sender's hold on their threads has ended.
    clock.set(ACTIVE.plus(java.time.Duration.ofHours(2)), true);
    var unread = measure("claim unread", () -> api.post("/goals/" + goalId + "/workflows/unread/claim", ari, null));
    require(unread.status() == 200, "unread " + unread.text());
    for (int i = 0; i < repeat; i++) {
      String thread = threads.get(i);
      measure("open thread (marks read)", () -> api.get("/threads/" + thread, ari));
    }
    for (int i = 0; i < repeat; i++) {
      String thread = threads.get(i);
      int n = i;
      var answer = measure("send free text, answer to a reply (API)", () -> api.post("/threads/" + thread
          + "/messages", ari, Map.of("body", "Great, see you there! " + n, "goalId", goalId)));
      require(answer.status() == 201, "answer " + answer.text());
    }
    drain("OutboundQueue", "SenderFunction", "sender (per message)", 1);
    measure("agent: my workflows", () -> api.get("/me/workflows", ari));
    measure("agent: my conversations", () -> api.get("/me/conversations", ari));
    for (int i = 0; i < repeat; i++) {
      measure("review page (50 conversations of an agent)", () ->
          api.raw("GET", "/groups/" + group + "/conversations", "agentId=ari", bearer(admin), null));
      measure("goal stats", () -> api.get("/goals/" + goalId + "/stats", admin));
    }
    measure("contacts page (50)", () -> api.get("/groups/" + group + "/contacts", admin));
  }

  private String phoneOf(String admin, String group, String contactId) {
    return api.get("/groups/" + group + "/contacts/" + contactId, admin).json().path("phone").asText();
  }

  private static Map<String, List<String>> bearer(String token) {
    return new LinkedHashMap<>(Map.of("authorization", List.of("Bearer " + token)));
  }

  private static Map<String, String> reply(String from, String to, String body) {
    return InProcessApi.twilioReply(from, to, body);
  }

  private void measureWebhook(String operation, String path, Map<String, String> params) {
    var res = measure(operation, () -> api.twilio(path, params));
    require(res.status() == 200, operation + " " + res.status() + " " + res.text());
  }

  // ------------------------------------------------------------------ Lambda's part, played here

  private HostedFunction function(String id) {
    return cloud.functions().function(id).orElseThrow(() -> new IllegalStateException(id + " not loaded"));
  }

  /**
   * Receives {@code perInvocation} messages at a time from the queue and invokes the function with them on
   * this thread, measured, until the queue is empty; returns the number of invocations.
   */
  private int drain(String queue, String functionId, String operation, int perInvocation) {
    String url = cloud.resources().ref(queue).orElseThrow();
    String arn = cloud.resources().attribute(queue, "Arn").orElseThrow();
    HostedFunction fn = function(functionId);
    var sqs = cloud.clients().sqs();
    int invocations = 0;
    while (true) {
      List<Message> got = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(perInvocation).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
      if (got.isEmpty()) {
        return invocations;
      }
      var event = SqsPoller.event(got, arn, cloud.stack().region());
      lastEvents.put(functionId, event);
      Object result = measure(operation, () -> fn.invoke(event));
      SQSBatchResponse response = result == null ? null : Json.MAPPER.convertValue(result, SQSBatchResponse.class);
      if (response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
        throw new IllegalStateException(functionId + " failed " + response.getBatchItemFailures().size() + " message(s)");
      }
      sqs.deleteMessageBatch(r -> r.queueUrl(url).entries(got.stream().map(m -> DeleteMessageBatchRequestEntry
          .builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
      invocations++;
    }
  }

  private String streamIterator;

  /**
   * Plays Lambda's DynamoDB event source mapping for ProjectionsFunction: hands every stream record written
   * since the last call to the function (batches of up to 100, with the shard id a tumbling window gives), each
   * invocation measured as {@code operation} (null: not measured). The stream reads are the mapping's, not the
   * function's, and are not counted.
   */
  private int project(String operation) {
    var streams = cloud.clients().streams();
    String arn = cloud.resources().attribute("GoalpostTable", "StreamArn").orElseThrow();
    String shard = streams.describeStream(r -> r.streamArn(arn)).streamDescription().shards().getFirst().shardId();
    if (streamIterator == null) {
      streamIterator = streams.getShardIterator(r -> r.streamArn(arn).shardId(shard)
          .shardIteratorType(software.amazon.awssdk.services.dynamodb.model.ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }
    HostedFunction fn = function("ProjectionsFunction");
    List<software.amazon.awssdk.services.dynamodb.model.Record> pending = new ArrayList<>();
    while (true) {
      String at = streamIterator;
      var res = streams.getRecords(r -> r.shardIterator(at).limit(1000));
      streamIterator = res.nextShardIterator();
      if (res.records().isEmpty()) {
        break;
      }
      pending.addAll(res.records());
    }
    int invocations = 0;
    for (int from = 0; from < pending.size(); from += 100) {
      Map<String, Object> event = new LinkedHashMap<>(dev.goalpost.local.triggers.StreamPoller.event(
          pending.subList(from, Math.min(pending.size(), from + 100)), arn, cloud.stack().region()));
      event.put("shardId", shard);
      event.put("state", Map.of());
      lastEvents.put("ProjectionsFunction", event);
      Object result = operation == null ? fn.invoke(event) : measure(operation, () -> fn.invoke(event));
      Object failures = result instanceof Map<?, ?> m ? m.get("batchItemFailures") : null;
      require(!(failures instanceof List<?> l) || l.isEmpty(), "projection failed " + failures);
      invocations++;
    }
    return invocations;
  }

  private <T> T measure(String operation, Supplier<T> work) {
    long t0 = System.nanoTime();
    var m = DynamoMeter.measure(operation, work);
    double ms = (System.nanoTime() - t0) / 1e6;
    Row row = rows.computeIfAbsent(operation, k -> new Row(k, new ArrayList<>(), new ArrayList<>()));
    row.samples().add(m.sample());
    row.millis().add(ms);
    return m.value();
  }

  // ------------------------------------------------------------------ report

  String report() {
    StringBuilder md = new StringBuilder();
    md.append("# Readiness: cost of each operation\n\n");
    md.append(String.format(Locale.ROOT, "Generated by `dev.goalpost.bench.ReadinessBench` (`make readiness`) on a "
        + "goal of %,d contacts against moto. DynamoDB requests: median per call. RCU/WCU: mean per call, from item "
        + "sizes (reads 1 RCU per 4 KB strongly consistent, half eventually; writes 1 WCU per KB of the larger "
        + "image, ×2 in transactions). Other calls: the SQS / EventBridge / SMS-provider calls per call (SendTextMessage "
        + "and Twilio are the local carrier here). ms: median wall time per call against moto on this machine.%n%n",
        contacts));
    md.append("| operation | calls | DynamoDB requests | RCU | WCU | other AWS calls | ms (median) | typical DynamoDB requests |\n");
    md.append("|---|---:|---:|---:|---:|---|---:|---|\n");
    for (Row r : rows.values()) {
      int[] counts = r.samples().stream().mapToInt(DynamoMeter.Sample::requestCount).sorted().toArray();
      double rcu = r.samples().stream().mapToDouble(DynamoMeter.Sample::rcu).average().orElse(0);
      double wcu = r.samples().stream().mapToDouble(DynamoMeter.Sample::wcu).average().orElse(0);
      double[] ms = r.millis().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %s | %.0f | %s |%n", r.operation(),
          counts.length, WorkflowsBench.percentile(counts, 50), rcu, wcu, typicalCalls(r), ms[ms.length / 2],
          typical(r.samples().stream().map(s -> String.join(", ", s.requests())).toList())));
    }
    if (!notes.isEmpty()) {
      md.append("\nNotes:\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  /** The other calls per call, e.g. "1 Sqs SendMessage, 1 EventBridge PutEvents" (the most common set). */
  private static String typicalCalls(Row r) {
    String t = typical(r.samples().stream().map(s -> s.calls().stream()
        .collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting())).entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))).toList());
    return t.isEmpty() ? "–" : t;
  }

  private static String typical(List<String> values) {
    return values.stream().collect(Collectors.groupingBy(x -> x, Collectors.counting())).entrySet().stream()
        .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("")
        .replace("BatchGetItem", "BatchGet").replace("TransactWriteItems", "TransactWrite")
        .replace("UpdateItem", "Update").replace("GetItem", "Get").replace("DeleteItem", "Delete")
        .replace("PutItem", "Put").replace("BatchWriteItem", "BatchWrite");
  }

  static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("Readiness bench: " + what);
    }
  }
}
