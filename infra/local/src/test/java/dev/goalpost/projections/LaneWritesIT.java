package dev.goalpost.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.local.LocalCloud;
import dev.goalpost.local.LocalCloudTest;
import dev.goalpost.platform.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link LaneWrites}' exactly-once aggregation per stream shard, against a real DynamoDB table on the local
 * cloud's emulator (one per test, {@link ScratchTable}): its conditional UpdateItems and the reads after a
 * failed condition are DynamoDB's own.
 */
@LocalCloudTest
class LaneWritesIT {
  static final Instant NOW = Instant.parse("2026-12-02T16:00:00Z");
  final ScratchTable table;
  final LaneWrites lanes;
  final Map<String, AttributeValue> key = Table.key("P", "S");

  LaneWritesIT(LocalCloud cloud) {
    table = ScratchTable.create(cloud);
    lanes = new LaneWrites(cloud.clients().dynamo(), table.table());
  }

  @AfterEach
  void dropTable() {
    table.delete();
  }

  static LaneWrites.Contribution c(long seq, long add) {
    return new LaneWrites.Contribution(StreamChange.pad(Long.toString(seq)), new Delta().add("n", add));
  }

  long n() {
    return Table.num(table.item(key), "n", 0);
  }

  @Test
  void eachShardKeepsItsOwnMark() {
    lanes.apply(key, "shardId-00000001764680000000-a", List.of(c(10, 1), c(20, 2)), NOW);
    lanes.apply(key, "shardId-00000001764680000001-b", List.of(c(5, 4)), NOW); // another shard, lower numbers

    assertThat(n()).isEqualTo(7);
    assertThat(lanes.apply(key, "shardId-00000001764680000000-a", List.of(c(20, 2), c(30, 8)), NOW)).isEqualTo(1);
    assertThat(n()).isEqualTo(15);
  }

  @Test
  void sequenceNumbersOfDifferentLengthsCompareAsNumbers() {
    assertThat(StreamChange.pad("999")).isLessThan(StreamChange.pad("1000"));
    lanes.apply(key, "s", List.of(c(999, 1)), NOW);
    lanes.apply(key, "s", List.of(c(1000, 1)), NOW);
    assertThat(n()).isEqualTo(2);
  }

  @Test
  void marksOfShardsClosedLongAgoArePrunedWhenTheItemIsRead() {
    Instant old = NOW.minus(LaneWrites.STALE).minusSeconds(60);
    String oldShard = "shardId-" + String.format("%020d", old.toEpochMilli()) + "-x";
    lanes.apply(key, oldShard, List.of(c(1, 1)), NOW);
    lanes.apply(key, "shardId-00000001764680000000-a", List.of(c(7, 1)), NOW);
    assertThat(table.item(key)).containsKey(LaneWrites.MARK_PREFIX + oldShard);

    // redelivered with one new record: the item is read, the new record applied and the old shard's mark pruned
    lanes.apply(key, "shardId-00000001764680000000-a", List.of(c(7, 1), c(8, 1)), NOW);

    assertThat(table.item(key)).doesNotContainKey(LaneWrites.MARK_PREFIX + oldShard);
    assertThat(n()).isEqualTo(3);
    assertThat(LaneWrites.shardCreated("shardId-00000001414562045508-2bac9cd2"))
        .isEqualTo(Instant.ofEpochMilli(1414562045508L));
  }
}
