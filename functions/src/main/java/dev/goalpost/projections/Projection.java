package dev.goalpost.projections;

import static dev.goalpost.platform.Table.*;

import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.contacts.OptOuts;
import dev.goalpost.contacts.OrgOptOut;
import dev.goalpost.conversations.Participations;
import dev.goalpost.conversations.ThreadRepository;
import dev.goalpost.goals.GoalResults;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.BatchReads;
import dev.goalpost.platform.Table;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table stream's projection (ProjectionsFunction): for one batch of one shard, in this order —
 * <ol>
 *   <li><b>hand-off</b>: every outbound message INSERTed QUEUED goes to the outbound FIFO queue
 *       (SendMessageBatch, 10 per request; dedup id = message id, so the writer's own enqueue right after its
 *       commit and this one are one text; the sender only sends what it moves QUEUED → SENDING). This replaces
 *       the outbox: a text stored while the queue refused, or whose writer died after the commit, still leaves;</li>
 *   <li><b>reads</b>: 1 BatchGetItem for the threads of inbound texts (their agents and holder) and the contacts
 *       of outbound texts that do not carry {@code contactName};</li>
 *   <li><b>results</b>: one UpdateItem per RESULT item per batch ({@link LaneWrites}: exactly once per record);
 *       a STOP that opted the phone out sets its goal's RESULT {@code optedOut};</li>
 *   <li><b>opt-out copies</b>: for each phone whose org opt-out item changed, every group's contact set to what
 *       the list says ({@link OrgOptOut#copyFromList}: 1 GetItem of the list, 1 Query of the org's groups,
 *       1 UpdateItem per group, 1 GetItem checking the list), so a STOP's own request never fans out;</li>
 *   <li><b>conversation rows</b>: 1 UpdateItem per (thread, agent) per batch, each only if nothing newer happened;</li>
 *   <li><b>counters</b>: one UpdateItem per counter item (goal, agent) per batch from the RESULT and batch
 *       changes in it ({@link LaneWrites}).</li>
 * </ol>
 * Every step is idempotent, so a failure answers the first failed record's sequence number and Lambda retries
 * the batch from it: what was done before is done again harmlessly or skipped by the items' marks. Rules:
 * {@link Derivations}.
 *
 * <p>Cost per text (one outbound initial text, sub-KB items): ~1 SendMessage-batch entry (1/10 request),
 * RESULT 1 UpdateItem (1 WCU), its row 1 UpdateItem (1 WCU), and the counters' share of a batch: 2 UpdateItems
 * per goal and agent per batch (~2 WCU / texts per batch). Its stream records cost nothing to read (Lambda's
 * stream reads are free); the function runs about once per batch window per shard.
 */
public final class Projection {
  private static final Logger LOG = Logger.getLogger(Projection.class.getName());

  private final DynamoDbClient dynamo;
  private final Table table;
  private final OutboundQueue queue;
  private final BatchReads reads;
  private final LaneWrites lanes;
  private final Participations rows;
  private final OrgOptOut optOutCopies;
  private final Clock clock;

  public Projection(DynamoDbClient dynamo, Table table, OutboundQueue queue, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.queue = queue;
    this.reads = new BatchReads(dynamo, table);
    this.lanes = new LaneWrites(dynamo, table);
    this.rows = new Participations(dynamo, table);
    // (null events: ContactOptedOut is published by whoever changed the list)
    this.optOutCopies = new OrgOptOut(new OptOuts(dynamo, table), new ContactRepository(dynamo, table),
        new GroupRepository(dynamo, table), null);
    this.clock = clock;
  }

  /** What one batch did (for the log line and tests). */
  public record Outcome(Optional<String> firstFailed, int queued, int results, int rows, int counters) {}

  /**
   * Projects {@code changes} (one shard's batch, in stream order); answers the sequence number Lambda should
   * retry from, if any step failed.
   */
  public Outcome apply(String shardId, List<StreamChange> changes) {
    Failures failures = new Failures();
    List<Derivations.MessageInsert> messages = Derivations.messages(changes);

    // 1. hand-off: the outbound queue
    List<Derivations.MessageInsert> queued = messages.stream()
        .filter(m -> m.outbound() && "QUEUED".equals(str(m.item(), "status"))).toList();
    int handed = 0;
    if (!queued.isEmpty()) {
      List<OutboundQueue.Ref> refs = queued.stream().map(m -> new OutboundQueue.Ref(m.orgId(), m.threadId(),
          m.change().sk(), str(m.item(), "messageId"), str(m.item(), "from"), str(m.item(), "to"))).toList();
      var notTaken = queue.sendAll(refs);
      for (var m : queued) {
        if (notTaken.contains(str(m.item(), "messageId"))) {
          failures.add(m.change().sequenceNumber(), "enqueue of " + str(m.item(), "messageId"));
        } else {
          handed++;
        }
      }
    }

    // 2. reads: inbound texts' threads, outbound texts' contact names
    Map<String, Derivations.ThreadView> threads = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (var m : messages) {
      if (!m.outbound()) {
        keys.add(key(ThreadRepository.threadPartition(m.orgId(), m.threadId()), ThreadRepository.SK_THREAD));
      } else if (m.agentId() != null && !m.item().containsKey("contactName")) {
        keys.add(ContactRepository.contactKey(m.orgId(), m.groupId(), m.contactId()));
      }
    }
    if (!keys.isEmpty()) {
      try {
        var items = reads.get(keys.stream().distinct().toList());
        for (var m : messages) {
          if (!m.outbound()) {
            threads.put(m.threadId(), Derivations.ThreadView.of(items.get(BatchReads.id(
                key(ThreadRepository.threadPartition(m.orgId(), m.threadId()), ThreadRepository.SK_THREAD)))));
          } else {
            var c = items.get(BatchReads.id(ContactRepository.contactKey(m.orgId(), m.groupId(), m.contactId())));
            if (c != null) {
              names.put(m.threadId(), ContactRepository.fromItemPublic(c).displayName());
            }
          }
        }
      } catch (SdkException e) {
        // Without them the results and rows of these texts cannot be written: retry from the first.
        messages.forEach(m -> failures.add(m.change().sequenceNumber(), "reads: " + e.getMessage()));
        return failures.outcome(handed, 0, 0, 0);
      }
    }

    // 3. results
    int results = 0;
    for (var group : grouped(Derivations.resultChanges(messages, threads)).entrySet()) {
      results += applyLane(group.getValue(), shardId, failures);
    }
    for (var o : Derivations.optOuts(changes)) {
      try {
        dynamo.updateItem(GoalResults.optedOut(table, o.orgId(), o.goalId(), o.contactId(), clock.instant()));
        results++;
      } catch (SdkException e) {
        failures.add(o.change().sequenceNumber(), "opt-out result: " + e.getMessage());
      }
    }

    // 4. opt-out copies: the org list changed for these phones; every group's contact follows the list
    for (var l : Derivations.listChanges(changes)) {
      try {
        optOutCopies.copyFromList(l.phone().orgId(), l.phone().phone(), Optional.empty(), null, clock.instant());
      } catch (SdkException | IllegalStateException e) {
        failures.add(l.sequenceNumber(), "opt-out copies of " + l.phone() + ": " + e.getMessage());
      }
    }

    // 5. conversation rows
    int rowsWritten = 0;
    for (var r : Derivations.rowChanges(messages, threads, names)) {
      try {
        boolean wrote = r.direction() == dev.goalpost.conversations.Message.Direction.OUTBOUND
            ? rows.afterSend(r.orgId(), r.threadId(), r.agentId(), r.groupId(), r.contactId(), r.contactName(),
                r.preview(), r.atMs(), r.at())
            : rows.afterReply(r.orgId(), r.threadId(), r.agentId(), r.unread(), r.preview(), r.atMs(), r.at());
        rowsWritten += wrote ? 1 : 0;
      } catch (SdkException e) {
        failures.add(r.change().sequenceNumber(), "conversation row: " + e.getMessage());
      }
    }

    // 6. counters
    int counters = 0;
    for (var group : grouped(Derivations.counterChanges(changes)).entrySet()) {
      counters += applyLane(group.getValue(), shardId, failures) > 0 ? 1 : 0;
    }
    return failures.outcome(handed, results, rowsWritten, counters);
  }

  private int applyLane(List<Derivations.Keyed> contributions, String shardId, Failures failures) {
    try {
      return lanes.apply(contributions.getFirst().key(), shardId, contributions.stream()
          .map(k -> new LaneWrites.Contribution(k.lane(), k.delta())).toList(), clock.instant()) > 0 ? 1 : 0;
    } catch (SdkException | IllegalStateException e) {
      contributions.forEach(k -> failures.add(k.sequenceNumber(), BatchReads.id(k.key()) + ": " + e.getMessage()));
      return 0;
    }
  }

  /** Contributions per derived item, each item's in stream order, items in order of first appearance. */
  private static Map<String, List<Derivations.Keyed>> grouped(List<Derivations.Keyed> all) {
    Map<String, List<Derivations.Keyed>> out = new LinkedHashMap<>();
    for (var k : all) {
      out.computeIfAbsent(BatchReads.id(k.key()), x -> new ArrayList<>()).add(k);
    }
    return out;
  }

  /** The earliest failed record of the batch (Lambda retries from it). */
  private static final class Failures {
    private String first;
    private String firstLane;

    void add(String sequenceNumber, String why) {
      String lane = StreamChange.pad(sequenceNumber);
      LOG.warning(() -> "Stream record " + sequenceNumber + " not projected (" + why + "); retried from it");
      if (firstLane == null || lane.compareTo(firstLane) < 0) {
        firstLane = lane;
        first = sequenceNumber;
      }
    }

    Outcome outcome(int queued, int results, int rows, int counters) {
      return new Outcome(Optional.ofNullable(first), queued, results, rows, counters);
    }
  }
}
