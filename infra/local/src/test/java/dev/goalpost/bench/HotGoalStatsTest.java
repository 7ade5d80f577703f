package dev.goalpost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HotGoalStatsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void percentilesAreNearestRank() {
    List<Double> ten = List.of(10.0, 1.0, 9.0, 2.0, 8.0, 3.0, 7.0, 4.0, 6.0, 5.0);
    assertThat(HotGoalStats.percentile(ten, 50)).isEqualTo(5.0);
    assertThat(HotGoalStats.percentile(ten, 95)).isEqualTo(10.0);
    assertThat(HotGoalStats.percentile(ten, 90)).isEqualTo(9.0);
    assertThat(HotGoalStats.percentile(ten, 0)).isEqualTo(1.0);
    assertThat(HotGoalStats.percentile(List.of(7.0), 95)).isEqualTo(7.0);
    assertThat(HotGoalStats.percentile(List.of(), 50)).isZero();
  }

  /** A sample as the meter would leave it: requests, HTTP attempts, conflicts, capacity when sized. */
  private static DynamoMeter.Sample sample(int requests, int attempts, int conflicts, boolean sized, double wcu) {
    DynamoMeter.Sample s = new DynamoMeter.Sample("send", sized);
    for (int i = 0; i < requests; i++) {
      s.requests.add("TransactWriteItems");
    }
    s.attempts = attempts;
    s.conflicts = conflicts;
    s.wcu = wcu;
    s.rcu = wcu / 2;
    return s;
  }

  @Test
  void aRowCountsConflictsRetriesAndAnswers() {
    List<HotGoalStats.Call> calls = List.of(
        new HotGoalStats.Call(sample(2, 2, 0, true, 20), 201, false, 100),
        new HotGoalStats.Call(sample(4, 5, 2, false, 0), 201, false, 300), // 2 conflicts, both retried; 1 SDK retry
        new HotGoalStats.Call(sample(6, 6, 5, true, 40), 503, true, 900), // 5 conflicts, the last one given up
        new HotGoalStats.Call(sample(1, 1, 0, false, 0), 409, false, 50));
    HotGoalStats.Row row = HotGoalStats.Row.of("50 agents send", "send (API)", calls, 2.0);

    assertThat(row.count()).isEqualTo(4);
    assertThat(row.requests()).isEqualTo(13 / 4.0);
    assertThat(row.requestsP95()).isEqualTo(6);
    assertThat(row.sizedCount()).isEqualTo(2);
    assertThat(row.wcu()).isEqualTo(30.0); // mean over the sized calls only
    assertThat(row.rcu()).isEqualTo(15.0);
    assertThat(row.conflicts()).isEqualTo(7);
    assertThat(row.retries()).isEqualTo(6);
    assertThat(row.sdkRetries()).isEqualTo(1);
    assertThat(row.status503()).isEqualTo(1);
    assertThat(row.otherNon2xx()).isEqualTo(Map.of(409, 1L));
    assertThat(row.p50()).isEqualTo(100.0);
    assertThat(row.p95()).isEqualTo(900.0);
    assertThat(row.perSecond()).isEqualTo(2.0);
    assertThat(row.markdown()).isEqualTo(
        "| 50 agents send | send (API) | 4 | 3.3 (6) | 15.0 | 30.0 | 7 | 6 | 1 | 1 | 1× 409 | 100 | 900 | 2.0 |\n");
  }

  @Test
  void aRowWithoutSizedCallsShowsNoCapacity() {
    HotGoalStats.Row row = HotGoalStats.Row.of("s", "op",
        List.of(new HotGoalStats.Call(sample(3, 3, 0, false, 0), 200, false, 10)), 0);
    assertThat(row.markdown())
        .isEqualTo("| s | op | 1 | 3.0 (3) | – | – | 0 | 0 | 0 | 0 | – | 10 | 10 | 0.0 |\n");
  }

  @Test
  void itemTypesFollowTheTableDesign() {
    String goal = "ORG#o1#GOAL#goal_1";
    String thread = "ORG#o1#THREAD#grp_1~ct_1";
    assertThat(HotGoalStats.itemType(thread, "THREAD")).isEqualTo("thread");
    assertThat(HotGoalStats.itemType(thread, "MSG#1764691200000#msg_1")).isEqualTo("message");
    assertThat(HotGoalStats.itemType(thread, "AGENT#agent001")).isEqualTo("participation");
    assertThat(HotGoalStats.itemType(goal, "STATS")).isEqualTo("goal STATS");
    assertThat(HotGoalStats.itemType(goal, "STATS#AGENT#agent001")).isEqualTo("agent STATS");
    assertThat(HotGoalStats.itemType(goal, "BATCH#I#00001-002")).isEqualTo("batch");
    assertThat(HotGoalStats.itemType(goal, "HOLDER#I#agent001")).isEqualTo("lease");
    assertThat(HotGoalStats.itemType(goal, "RESULT#ct_1")).isEqualTo("result");
    assertThat(HotGoalStats.itemType("ORG#o1#GROUP#grp_1", "CONTACT#ct_1")).isEqualTo("contact");
    assertThat(HotGoalStats.itemType("ORG#o1#GROUP#grp_1", "SEGMENTS#2026-12-02")).isEqualTo("day counter");
    assertThat(HotGoalStats.itemType("ORG#o1#GROUP#grp_1#SEGMENTS#2026-12-02#3", "SEGMENTS")).isEqualTo("day counter");
    assertThat(HotGoalStats.itemType("INBOUND#twilio#SM1", "INBOUND")).isEqualTo("inbound record");
    assertThat(HotGoalStats.itemType("OUTBOX#3", "1764691200000#msg_1")).isEqualTo("outbox");
    assertThat(HotGoalStats.itemType("ORG#o1#IDEMP#agent001", "KEY#k")).isEqualTo("idempotency record");
    // An item type the bench does not know yet is named by its key pattern, ids elided.
    assertThat(HotGoalStats.itemType(goal, "SHARD#7")).isEqualTo("ORG#{}#GOAL#{} / SHARD#{}");
  }

  @Test
  void ratesTakeTheBusiestKeyOfTheBusiestSecond() {
    long t0 = 100 * SECOND;
    String goal = "ORG#o#GOAL#g";
    List<HotGoalStats.Write> writes = List.of(
        // goal STATS: 3 writes in second 0, 1 in second 1 -> peak 3 (one item, one key)
        new HotGoalStats.Write(goal, "STATS", t0),
        new HotGoalStats.Write(goal, "STATS", t0 + SECOND / 2),
        new HotGoalStats.Write(goal, "STATS", t0 + SECOND - 1),
        new HotGoalStats.Write(goal, "STATS", t0 + SECOND),
        // results: two items of one partition in second 0 -> 2 per key, 1 per item
        new HotGoalStats.Write(goal, "RESULT#a", t0),
        new HotGoalStats.Write(goal, "RESULT#b", t0 + 10),
        // threads: one write each on two partitions
        new HotGoalStats.Write("ORG#o#THREAD#t1", "THREAD", t0),
        new HotGoalStats.Write("ORG#o#THREAD#t2", "THREAD", t0 + 3 * SECOND));
    List<HotGoalStats.Rate> rates = HotGoalStats.rates(writes, t0, 2);

    assertThat(rates).extracting(HotGoalStats.Rate::itemType).containsExactly("goal STATS", "result", "thread");
    assertThat(rates.get(0)).isEqualTo(new HotGoalStats.Rate("goal STATS", 4, 1, 1, 3, 3, 2.0, writes.get(3)));
    assertThat(rates.get(1)).isEqualTo(new HotGoalStats.Rate("result", 2, 1, 2, 2, 1, 1.0, writes.get(5)));
    assertThat(rates.get(2)).isEqualTo(new HotGoalStats.Rate("thread", 2, 2, 2, 1, 1, 1.0, writes.get(7)));
    assertThat(rates.get(0).markdown(1234)).isEqualTo("| goal STATS | 4 | 1 | 1 | 2.00 | 3 | 3 | 1,234 |\n");
    assertThat(rates.get(1).markdown(0)).isEqualTo("| result | 2 | 1 | 2 | 1.00 | 2 | 1 | – |\n");
  }

  @Test
  void partitionRatesAddUpTheItemTypesOfOnePartition() {
    long t0 = 0;
    String goal = "ORG#o#GOAL#g";
    List<HotGoalStats.Write> writes = List.of(
        new HotGoalStats.Write(goal, "STATS", t0),
        new HotGoalStats.Write(goal, "RESULT#a", t0 + 1),
        new HotGoalStats.Write(goal, "BATCH#I#00000-001", t0 + 2),
        new HotGoalStats.Write("ORG#o#GOAL#h", "STATS", t0 + 3),
        new HotGoalStats.Write("ORG#o#THREAD#t1", "THREAD", t0));
    List<HotGoalStats.Rate> rates = HotGoalStats.partitionRates(writes, t0, 2);
    assertThat(rates).extracting(HotGoalStats.Rate::itemType).containsExactly("ORG#{}#GOAL#{}", "ORG#{}#THREAD#{}");
    assertThat(rates.getFirst().writes()).isEqualTo(4);
    assertThat(rates.getFirst().partitionKeys()).isEqualTo(2);
    assertThat(rates.getFirst().peakPerPartitionKey()).isEqualTo(3);
    assertThat(HotGoalStats.partitionMarkdown(rates.getFirst())).isEqualTo("| `ORG#{}#GOAL#{}` | 4 | 2 | 2.00 | 3 |\n");
  }

  @Test
  void aWriteBeforeTheOriginFallsInAnEarlierSecond() {
    long t0 = 10 * SECOND;
    var rates = HotGoalStats.rates(List.of(new HotGoalStats.Write("P", "S", t0 - 1),
        new HotGoalStats.Write("P", "S", t0)), t0, 0);
    assertThat(rates.getFirst().peakPerItem()).isEqualTo(1);
    assertThat(rates.getFirst().writesPerText()).isZero();
  }
}
