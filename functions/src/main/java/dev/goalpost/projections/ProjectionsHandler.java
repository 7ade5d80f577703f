package dev.goalpost.projections;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.goalpost.messaging.OutboundQueue;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The table stream's trigger (template.yaml: ProjectionsFunction, a DynamoDB event with a tumbling window, used
 * only for the event's {@code shardId}: the idempotency lane of {@link LaneWrites}). Takes Lambda's DynamoDB
 * event as JSON and answers {@code {"state": {}, "batchItemFailures": [{"itemIdentifier": seq}]}}: the first
 * record not projected, from which Lambda retries the batch (a windowed invocation must answer a state; this
 * projection keeps none).
 */
public final class ProjectionsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Logger LOG = Logger.getLogger(ProjectionsHandler.class.getName());
  /** The lane of an event without {@code shardId} (a mapping without a tumbling window): one shard assumed. */
  static final String NO_SHARD = "stream";

  private final Projection projection;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public ProjectionsHandler() {
    AwsClients aws = new AwsClients();
    Table table = Table.fromEnv();
    this.projection = new Projection(aws.dynamo(), table,
        new OutboundQueue(aws.sqs(), Env.require("OUTBOUND_QUEUE_URL")), ClockSource.runtimeClock());
    // Priming: one stream event of a record nothing derives from (the event's JSON, the rules), and one read of
    // the table (the SDK client); it writes nothing.
    var dynamo = aws.dynamo();
    this.priming = dev.goalpost.platform.Priming.register(() -> {
      dynamo.getItem(r -> r.tableName(table.name()).key(Table.key("PRIMING", "PRIMING")));
      handleRequest(primingEvent(), null);
    });
  }

  /** A DynamoDB stream event of one MODIFY of an item no projection rule reads. */
  static Map<String, Object> primingEvent() {
    Map<String, Object> keys = Map.of("PK", Map.of("S", "PRIMING"), "SK", Map.of("S", "PRIMING"));
    Map<String, Object> ddb = Map.of("Keys", keys, "NewImage", keys, "OldImage", keys,
        "SequenceNumber", "1", "StreamViewType", "NEW_AND_OLD_IMAGES");
    return Map.of("Records", List.of(Map.of("eventName", "MODIFY", "dynamodb", ddb)), "shardId", "priming");
  }

  ProjectionsHandler(Projection projection) {
    this.projection = projection;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    List<StreamChange> changes = StreamChange.of(event);
    Object shard = event == null ? null : event.get("shardId");
    String shardId = shard == null ? NO_SHARD : String.valueOf(shard);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", Map.of());
    if (changes.isEmpty()) {
      out.put("batchItemFailures", List.of()); // a window's final invocation
      return out;
    }
    Projection.Outcome o = projection.apply(shardId, changes);
    LOG.fine(() -> "Projected " + changes.size() + " records of " + shardId + ": " + o);
    out.put("batchItemFailures", o.firstFailed().map(seq -> List.of(Map.of("itemIdentifier", seq))).orElse(List.of()));
    return out;
  }
}
