package dev.goalpost.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.conversations.Message;
import dev.goalpost.conversations.MessageMapper;
import dev.goalpost.conversations.Participations;
import dev.goalpost.conversations.ThreadIds;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.counters.GoalStats;
import dev.goalpost.goals.GoalResults;
import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.Table;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The table stream's projection ({@link Projection}) applied to hand-built stream records, against real
 * DynamoDB and SQS on the local cloud's emulator: each test has a table of its own ({@link ScratchTable}: the
 * GoalpostTable's keys and indexes, no stream, so the local cloud's poller projects nothing of it) and a FIFO
 * queue of its own ({@link RecordingQueue}). Failures are injected by decorators of the real clients: a throttled
 * UpdateItem ({@link ThrottlingDynamo}) and a SendMessageBatch entry answered as failed ({@link RecordingQueue}).
 * Hop 2 (RESULT changes to counters) is fed the RESULT items' before and after images as read back from the
 * table, as their stream records would carry them.
 */
@LocalCloudTest
class ProjectionIT {
  static final String ORG = "org-p";
  static final String GOAL = "goal_1";
  static final String SHARD = "shardId-00000001700000000000-abcd";
  static final Instant T0 = Instant.parse("2026-12-02T16:00:00Z");

  final ScratchTable table;
  final ThrottlingDynamo dynamo;
  final RecordingQueue sqs;
  final Projection projection;
  long seq = 1_000;

  ProjectionIT(LocalCloud cloud) {
    table = ScratchTable.create(cloud);
    dynamo = new ThrottlingDynamo(cloud.clients().dynamo());
    sqs = RecordingQueue.create(cloud.clients().sqs(), cloud.stack().prefix());
    projection = new Projection(dynamo.client(), table.table(), new OutboundQueue(sqs, sqs.url()),
        Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void dropTableAndQueue() {
    table.delete();
    sqs.delete();
  }

  // ---------------------------------------------------------------- building records

  static String thread(String contact) {
    return ThreadIds.of("grp_a", contact);
  }

  Message outbound(String id, String contact, String agent, String workflow, int segments, Instant at) {
    return new Message(id, thread(contact), Message.Direction.OUTBOUND, "Hi there " + contact, segments, "GSM7",
        Message.Status.QUEUED, agent, GOAL, "scr_1", workflow, at, null, null, "+15125550100", "+15125550199");
  }

  Message inbound(String id, String contact, Instant at) {
    return new Message(id, thread(contact), Message.Direction.INBOUND, "Yes, count me in", 1, "GSM7",
        Message.Status.RECEIVED, null, GOAL, null, null, at, "SM" + id, null, "+15125550199", "+15125550100");
  }

  StreamChange insert(Message m) {
    Map<String, AttributeValue> item = MessageMapper.toItem(ORG, m);
    return new StreamChange("INSERT", Long.toString(++seq), Table.key(item.get("PK").s(), item.get("SK").s()), item, null);
  }

  StreamChange change(Map<String, AttributeValue> key, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
    return new StreamChange(before.isEmpty() ? "INSERT" : "MODIFY", Long.toString(++seq), key, after, before);
  }

  /** Runs hop 1 on {@code batch}, then hop 2 on the RESULT changes it made (as their stream records would). */
  Projection.Outcome twoHops(List<StreamChange> batch, String... contacts) {
    Map<String, Map<String, AttributeValue>> before = new HashMap<>();
    for (String c : contacts) {
      before.put(c, new HashMap<>(table.item(GoalResults.key(ORG, GOAL, c))));
    }
    Projection.Outcome first = projection.apply(SHARD, batch);
    List<StreamChange> results = new ArrayList<>();
    for (String c : contacts) {
      var key = GoalResults.key(ORG, GOAL, c);
      if (!table.item(key).equals(before.get(c))) {
        results.add(change(key, before.get(c), table.item(key)));
      }
    }
    if (!results.isEmpty()) {
      projection.apply(SHARD, results);
    }
    return first;
  }

  long goal(GoalStats.Counter c) {
    return Table.num(table.item(GoalStats.goalKey(ORG, GOAL)), c.name(), 0);
  }

  long agent(String agent, GoalStats.Counter c) {
    return Table.num(table.item(GoalStats.agentKey(ORG, GOAL, agent)), c.name(), 0);
  }

  // ---------------------------------------------------------------- tests

  @Test
  void anInitialSendMarksItsResultItsRowQueuesItAndCountsForTheGoalAndTheAgent() {
    var out = twoHops(List.of(insert(outbound("msg_1", "ct_1", "ari", "initial", 2, T0))), "ct_1");

    assertThat(out.firstFailed()).isEmpty();
    var result = table.item(GoalResults.key(ORG, GOAL, "ct_1"));
    assertThat(Table.bool(result, "messaged")).isTrue();
    assertThat(Table.str(result, "firstMessagedAt")).isEqualTo(T0.toString());
    var row = table.item(Participations.key(ORG, thread("ct_1"), "ari"));
    assertThat(Table.str(row, "preview")).isEqualTo("Hi there ct_1");
    assertThat(Table.str(row, "GSI1PK")).isEqualTo(ThreadRepository.conversationsPartition(ORG, "ari"));
    assertThat(sqs.accepted()).singleElement().satisfies(e -> {
      assertThat(e.messageDeduplicationId()).isEqualTo("msg_1");
      assertThat(e.messageGroupId()).isEqualTo(thread("ct_1"));
    });
    assertThat(goal(GoalStats.Counter.messaged)).isEqualTo(1);
    assertThat(goal(GoalStats.Counter.segmentsSent)).isEqualTo(2);
    assertThat(agent("ari", GoalStats.Counter.messaged)).isEqualTo(1);
    assertThat(agent("ari", GoalStats.Counter.segmentsSent)).isEqualTo(2);
    assertThat(Table.str(table.item(GoalStats.agentKey(ORG, GOAL, "ari")), "agentId")).isEqualTo("ari");
  }

  @Test
  void aBatchWritesEachCounterItemOnceWhateverTheNumberOfTexts() {
    List<StreamChange> batch = new ArrayList<>();
    List<String> contacts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      batch.add(insert(outbound("msg_" + i, "ct_" + i, i % 2 == 0 ? "ari" : "bea", "initial", 1, T0.plusMillis(i))));
      contacts.add("ct_" + i);
    }
    projection.apply(SHARD, batch);
    List<StreamChange> results = new ArrayList<>();
    for (String c : contacts) {
      results.add(change(GoalResults.key(ORG, GOAL, c), Map.of(), table.item(GoalResults.key(ORG, GOAL, c))));
    }
    int before = dynamo.updates();

    projection.apply(SHARD, results);

    assertThat(dynamo.updates() - before).as("goal + 2 agents, one UpdateItem each").isEqualTo(3);
    assertThat(goal(GoalStats.Counter.messaged)).isEqualTo(40);
    assertThat(agent("ari", GoalStats.Counter.messaged)).isEqualTo(20);
    assertThat(agent("bea", GoalStats.Counter.messaged)).isEqualTo(20);
    assertThat(sqs.requests()).as("40 texts in SendMessageBatch requests of 10").isEqualTo(4);
  }

  @Test
  void aRedeliveredBatchCountsNothingTwice() {
    StreamChange send = insert(outbound("msg_1", "ct_1", "ari", "initial", 1, T0));
    StreamChange reply = insert(inbound("msg_2", "ct_1", T0.plusSeconds(60)));
    projection.apply(SHARD, List.of(send, reply));
    var resultKey = GoalResults.key(ORG, GOAL, "ct_1");
    var afterFirst = new HashMap<>(table.item(resultKey));

    projection.apply(SHARD, List.of(send, reply)); // the same records again (a retry after a crash)

    assertThat(table.item(resultKey)).isEqualTo(afterFirst);
    assertThat(Table.num(afterFirst, "initial", 0)).isEqualTo(1);
    assertThat(Table.num(afterFirst, "replies", 0)).isEqualTo(1);

    StreamChange resultChange = change(resultKey, Map.of(), afterFirst);
    projection.apply(SHARD, List.of(resultChange));
    projection.apply(SHARD, List.of(resultChange));
    assertThat(goal(GoalStats.Counter.messaged)).isEqualTo(1);
    assertThat(goal(GoalStats.Counter.replies)).isEqualTo(1);
    assertThat(goal(GoalStats.Counter.responders)).isEqualTo(1);
  }

  @Test
  void aBatchRetriedFromItsFirstFailedRecordResumesWithoutCountingTwice() {
    // Results of three contacts change; ari's counter item is throttled on the first delivery.
    List<StreamChange> results = new ArrayList<>();
    for (String c : List.of("ct_1", "ct_2", "ct_3")) {
      var key = GoalResults.key(ORG, GOAL, c);
      Map<String, AttributeValue> after = new HashMap<>(Map.of("PK", key.get("PK"), "SK", key.get("SK"),
          "initial", AttributeValue.fromN("1"), GoalResults.byAgent(c.equals("ct_2") ? "ari" : "bea", "initial"),
          AttributeValue.fromN("1")));
      results.add(change(key, Map.of(), after));
    }
    dynamo.throttleNext(k -> k.equals(GoalStats.agentKey(ORG, GOAL, "ari")));

    var first = projection.apply(SHARD, results);

    assertThat(first.firstFailed()).contains(results.get(1).sequenceNumber());
    assertThat(goal(GoalStats.Counter.messaged)).isEqualTo(3);
    assertThat(agent("bea", GoalStats.Counter.messaged)).isEqualTo(2);
    assertThat(agent("ari", GoalStats.Counter.messaged)).isZero();

    var retry = projection.apply(SHARD, results.subList(1, results.size())); // Lambda retries from ct_2's record

    assertThat(retry.firstFailed()).isEmpty();
    assertThat(goal(GoalStats.Counter.messaged)).as("the goal's counter skips what it applied").isEqualTo(3);
    assertThat(agent("bea", GoalStats.Counter.messaged)).isEqualTo(2);
    assertThat(agent("ari", GoalStats.Counter.messaged)).isEqualTo(1);
  }

  @Test
  void recordsRedeliveredOutOfOrderAreBehindTheMarkAndSkipped() {
    StreamChange a = insert(outbound("msg_1", "ct_1", "ari", "initial", 1, T0));
    StreamChange b = insert(outbound("msg_2", "ct_1", "ari", "unread", 3, T0.plusSeconds(5)));
    projection.apply(SHARD, List.of(a, b));

    projection.apply(SHARD, List.of(b, a)); // a redelivery may come in another order

    var result = table.item(GoalResults.key(ORG, GOAL, "ct_1"));
    assertThat(Table.num(result, "segments", 0)).isEqualTo(4);
    assertThat(Table.num(result, "initial", 0)).isEqualTo(1);
    assertThat(Table.str(table.item(Participations.key(ORG, thread("ct_1"), "ari")), "preview"))
        .isEqualTo("Hi there ct_1");
  }

  @Test
  void aConversationRowNeverMovesBackwards() {
    var thread = Table.key(ThreadRepository.threadPartition(ORG, thread("ct_1")), ThreadRepository.SK_THREAD);
    table.put(new HashMap<>(Map.of("PK", thread.get("PK"), "SK", thread.get("SK"),
        "agents", AttributeValue.fromSs(List.of("ari")), "holder", AttributeValue.fromS("ari"),
        "unread", AttributeValue.fromBool(true))));
    projection.apply(SHARD, List.of(insert(outbound("msg_2", "ct_1", "ari", "unread", 1, T0.plusSeconds(60)))));

    projection.apply(SHARD, List.of(insert(inbound("msg_1", "ct_1", T0)))); // an older reply, delivered late

    var row = table.item(Participations.key(ORG, thread("ct_1"), "ari"));
    assertThat(Table.str(row, "lastDirection")).isEqualTo("OUTBOUND");
    assertThat(Table.bool(row, "unread")).isFalse();
    assertThat(Table.str(row, "lastMessageAt")).isEqualTo(T0.plusSeconds(60).toString());
  }

  @Test
  void aReplyMarksEveryAgentOnTheThreadUnreadAndCountsForTheHolder() {
    var thread = Table.key(ThreadRepository.threadPartition(ORG, thread("ct_1")), ThreadRepository.SK_THREAD);
    twoHops(List.of(insert(outbound("msg_1", "ct_1", "ari", "initial", 1, T0)),
        insert(outbound("msg_2", "ct_1", "bea", "unread", 1, T0.plusSeconds(1)))), "ct_1");
    table.put(new HashMap<>(Map.of("PK", thread.get("PK"), "SK", thread.get("SK"),
        "agents", AttributeValue.fromSs(List.of("ari", "bea")), "holder", AttributeValue.fromS("bea"),
        "unread", AttributeValue.fromBool(true))));

    twoHops(List.of(insert(inbound("msg_3", "ct_1", T0.plusSeconds(30)))), "ct_1");

    for (String a : List.of("ari", "bea")) {
      var row = table.item(Participations.key(ORG, thread("ct_1"), a));
      assertThat(Table.bool(row, "unread")).as(a).isTrue();
      assertThat(Table.str(row, "preview")).isEqualTo("Yes, count me in");
    }
    assertThat(goal(GoalStats.Counter.replies)).isEqualTo(1);
    assertThat(goal(GoalStats.Counter.responders)).isEqualTo(1);
    assertThat(agent("bea", GoalStats.Counter.replies)).isEqualTo(1);
    assertThat(agent("bea", GoalStats.Counter.responders)).isEqualTo(1);
    assertThat(agent("ari", GoalStats.Counter.replies)).isZero();
  }

  @Test
  void anAnswerChangedByAnotherAgentMovesBetweenTheirCounts() {
    var key = GoalResults.key(ORG, GOAL, "ct_1");
    Map<String, AttributeValue> none = Map.of("PK", key.get("PK"), "SK", key.get("SK"));
    Map<String, AttributeValue> ariYes = new HashMap<>(none);
    ariYes.putAll(Map.of("yes", AttributeValue.fromBool(true), "no", AttributeValue.fromBool(false),
        "leadActionBy", AttributeValue.fromS("ari")));
    Map<String, AttributeValue> beaNo = new HashMap<>(none);
    beaNo.putAll(Map.of("yes", AttributeValue.fromBool(false), "no", AttributeValue.fromBool(true),
        "leadActionBy", AttributeValue.fromS("bea")));

    projection.apply(SHARD, List.of(change(key, Map.of(), ariYes), change(key, ariYes, beaNo)));

    assertThat(goal(GoalStats.Counter.yes)).isZero();
    assertThat(goal(GoalStats.Counter.no)).isEqualTo(1);
    assertThat(agent("ari", GoalStats.Counter.yes)).isZero();
    assertThat(agent("bea", GoalStats.Counter.no)).isEqualTo(1);
  }

  @Test
  void aStopThatOptedThePhoneOutCountsOnceForTheThreadsGoal() {
    var record = Table.key("INBOUND#local#SM9", "INBOUND");
    Map<String, AttributeValue> image = new HashMap<>(record);
    image.putAll(Map.of("orgId", AttributeValue.fromS(ORG), "goalId", AttributeValue.fromS(GOAL),
        "contactId", AttributeValue.fromS("ct_1"), "optedOut", AttributeValue.fromBool(true)));
    StreamChange stop = new StreamChange("INSERT", Long.toString(++seq), record, image, null);

    twoHops(List.of(stop), "ct_1");
    twoHops(List.of(stop), "ct_1"); // redelivered

    assertThat(Table.bool(table.item(GoalResults.key(ORG, GOAL, "ct_1")), "optedOut")).isTrue();
    assertThat(goal(GoalStats.Counter.optedOut)).isEqualTo(1);
  }

  @Test
  void aBatchGainingClosedAtCountsOneBatchDone() {
    var key = Table.key("ORG#" + ORG + "#GOAL#" + GOAL, "BATCH#I#0001");
    Map<String, AttributeValue> open = new HashMap<>(key);
    open.put("remaining", AttributeValue.fromN("0"));
    Map<String, AttributeValue> closed = new HashMap<>(open);
    closed.put("closedAt", AttributeValue.fromS(T0.toString()));

    projection.apply(SHARD, List.of(change(key, open, open), change(key, open, closed), change(key, closed, closed)));

    assertThat(goal(GoalStats.Counter.batchesDone)).isEqualTo(1);
  }

  @Test
  void aTextTheQueueRefusedIsRetriedFromItsRecord() {
    StreamChange a = insert(outbound("msg_1", "ct_1", "ari", "initial", 1, T0));
    StreamChange b = insert(outbound("msg_2", "ct_2", "ari", "initial", 1, T0));
    sqs.refuse("msg_2");

    var out = projection.apply(SHARD, List.of(a, b));

    assertThat(out.firstFailed()).contains(b.sequenceNumber());
    var retry = projection.apply(SHARD, List.of(b));
    assertThat(retry.firstFailed()).isEmpty();
    assertThat(sqs.accepted()).extracting(SendMessageBatchRequestEntry::messageDeduplicationId)
        .containsExactly("msg_1", "msg_2");
    assertThat(Table.num(table.item(GoalResults.key(ORG, GOAL, "ct_2")), "initial", 0)).isEqualTo(1);
  }

  @Test
  void systemTextsAndSentMessagesAreNotCountedOrQueued() {
    Message confirmation = new Message("msg_c", thread("ct_1"), Message.Direction.OUTBOUND, "You are unsubscribed",
        1, "GSM7", Message.Status.QUEUED, null, null, null, "system", T0, null, null, "+1", "+2");
    Message sent = new Message("msg_s", thread("ct_1"), Message.Direction.OUTBOUND, "x", 1, "GSM7",
        Message.Status.SENT, "ari", GOAL, null, "initial", T0, null, null, "+1", "+2");
    StreamChange sentChange = insert(sent);
    StreamChange modified = new StreamChange("MODIFY", Long.toString(++seq), sentChange.keys(), sentChange.newImage(),
        sentChange.newImage());

    projection.apply(SHARD, List.of(insert(confirmation), modified));

    assertThat(sqs.accepted()).extracting(SendMessageBatchRequestEntry::messageDeduplicationId).containsExactly("msg_c");
    assertThat(table.items()).isEmpty();
  }

  @Test
  void theHandlerAnswersTheFirstFailedSequenceNumberAndAState() {
    sqs.refuse("msg_1");
    Message m = outbound("msg_1", "ct_1", "ari", "initial", 1, T0);
    Map<String, AttributeValue> item = MessageMapper.toItem(ORG, m);
    Map<String, Object> record = Map.of("eventID", "e1", "eventName", "INSERT", "eventSourceARN", "arn",
        "dynamodb", Map.of("Keys", dev.goalpost.platform.AttributeJson.json(Table.key(item.get("PK").s(), item.get("SK").s())),
            "NewImage", dev.goalpost.platform.AttributeJson.json(item), "SequenceNumber", "4200",
            "StreamViewType", "NEW_AND_OLD_IMAGES"));

    var response = new ProjectionsHandler(projection).handleRequest(
        Map.of("Records", List.of(record), "shardId", SHARD, "state", Map.of()), null);

    assertThat(response.get("state")).isEqualTo(Map.of());
    assertThat(response.get("batchItemFailures")).isEqualTo(List.of(Map.of("itemIdentifier", "4200")));
  }

  @Test
  void theSnapStartPrimingEventProjectsNothingAndWritesNothing() {
    var response = new ProjectionsHandler(projection).handleRequest(ProjectionsHandler.primingEvent(), null);

    assertThat(response.get("batchItemFailures")).isEqualTo(List.of());
    assertThat(table.items()).isEmpty();
    assertThat(sqs.accepted()).isEmpty();
  }
}
