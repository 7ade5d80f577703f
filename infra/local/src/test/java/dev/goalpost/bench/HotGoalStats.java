package dev.goalpost.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The arithmetic of {@link HotGoalBench}, apart from the local cloud so that it is unit-tested
 * ({@code HotGoalStatsTest}): percentiles, one operation's row of the table, the item type of a key, and the
 * peak write rate per partition key.
 */
final class HotGoalStats {
  private HotGoalStats() {}

  /** One call of an operation: what the meter saw, how it ended (HTTP status, or 200/500 for a function), its time. */
  record Call(DynamoMeter.Sample sample, int status, boolean busy, double millis) {}

  /**
   * The nearest-rank percentile of {@code values} (need not be sorted): the smallest value with at least
   * {@code p} % of the values at or below it. 0 for no values.
   */
  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** One line of the table: an operation of a scenario over its calls, in {@code seconds} of the scenario. */
  record Row(String scenario, String operation, int count, double requests, int requestsP95, double rcu, double wcu,
             int sizedCount, long conflicts, long retries, long sdkRetries, long status503,
             Map<Integer, Long> otherNon2xx, double p50, double p95, double perSecond) {

    static Row of(String scenario, String operation, Collection<Call> calls, double seconds) {
      List<Call> list = List.copyOf(calls);
      List<Double> requests = list.stream().map(c -> (double) c.sample().requestCount()).toList();
      List<DynamoMeter.Sample> sized = list.stream().map(Call::sample).filter(s -> s.sized).toList();
      long conflicts = list.stream().mapToLong(c -> c.sample().conflicts()).sum();
      // A conflict is retried by the function unless it was the last straw: the call gave up as busy after it.
      long givenUp = list.stream().filter(c -> c.busy() && c.sample().conflicts() > 0).count();
      long sdk = list.stream().mapToLong(c -> Math.max(0, c.sample().attempts() - c.sample().requestCount())).sum();
      Map<Integer, Long> other = new TreeMap<>(list.stream().filter(c -> c.status() / 100 != 2 && c.status() != 503)
          .collect(Collectors.groupingBy(Call::status, Collectors.counting())));
      List<Double> ms = list.stream().map(Call::millis).toList();
      return new Row(scenario, operation, list.size(), mean(requests), (int) percentile(requests, 95),
          sized.stream().mapToDouble(DynamoMeter.Sample::rcu).average().orElse(0),
          sized.stream().mapToDouble(DynamoMeter.Sample::wcu).average().orElse(0), sized.size(), conflicts,
          conflicts - givenUp, sdk, list.stream().filter(c -> c.status() == 503).count(), other,
          percentile(ms, 50), percentile(ms, 95), seconds > 0 ? list.size() / seconds : 0);
    }

    static final String HEADER = "| scenario | operation | count | DynamoDB requests / op (p95) | RCU / op "
        + "| WCU / op | TransactionConflicts | function retries | SDK retries | 503 | other non-2xx | p50 ms | p95 ms "
        + "| ops / s |\n"
        + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n";

    String markdown() {
      String others = otherNon2xx.isEmpty() ? "–" : otherNon2xx.entrySet().stream()
          .map(e -> e.getValue() + "× " + e.getKey()).collect(Collectors.joining(", "));
      String capacity = sizedCount == 0 ? "– | –" : String.format(Locale.ROOT, "%.1f | %.1f", rcu, wcu);
      return String.format(Locale.ROOT,
          "| %s | %s | %d | %.1f (%d) | %s | %d | %d | %d | %d | %s | %.0f | %.0f | %.1f |%n",
          scenario, operation, count, requests, requestsP95, capacity, conflicts, retries, sdkRetries, status503,
          others, p50, p95, perSecond);
    }
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  /**
   * The item type of a key of the single table, named as in {@code TableDesign.md}; a key of an unknown shape
   * is named by its pattern with the ids elided ({@code ORG#{}#GOAL#{} / SHARD#{}}), so new item types show up.
   */
  static String itemType(String pk, String sk) {
    if (pk.startsWith("INBOUND#")) {
      return "inbound record";
    }
    if (pk.startsWith("OUTBOX#")) {
      return "outbox";
    }
    if (pk.startsWith("PROVIDER#")) {
      return "provider lookup";
    }
    if (pk.contains("#THREAD#")) {
      if (sk.equals("THREAD")) {
        return "thread";
      }
      if (sk.startsWith("MSG#")) {
        return "message";
      }
      if (sk.startsWith("AGENT#")) {
        return "participation";
      }
    }
    if (pk.contains("#IDEMP#")) {
      return "idempotency record";
    }
    if (pk.contains("#GOAL#")) {
      if (sk.equals("STATS")) {
        return "goal STATS";
      }
      if (sk.startsWith("STATS#")) {
        return "agent STATS";
      }
      if (sk.startsWith("BATCH#")) {
        return "batch";
      }
      if (sk.startsWith("HOLDER#")) {
        return "lease";
      }
      if (sk.startsWith("RESULT#")) {
        return "result";
      }
    }
    if (sk.startsWith("CONTACT#")) {
      return "contact";
    }
    if (sk.startsWith("SEGMENTS#") || pk.contains("#SEGMENTS#")) {
      return "day counter"; // one item per group and day before issue 14; since, K shards of their own keys
    }
    if (sk.startsWith("OPTOUT#")) {
      return "opt-out";
    }
    return elide(pk) + " / " + elide(sk);
  }

  /** A key with its ids elided: the parts that are not all capitals, digits and underscores become {}. */
  static String elide(String key) {
    return java.util.Arrays.stream(key.split("#", -1)).map(p -> p.matches("[A-Z_]+") ? p : "{}")
        .collect(Collectors.joining("#"));
  }

  /** A committed write: table key and when (System.nanoTime). */
  record Write(String pk, String sk, long nanos) {}

  /** Per item type: the writes, the keys, and the busiest partition key's and item's peak in one second. */
  record Rate(String itemType, long writes, int partitionKeys, int items, int peakPerPartitionKey, int peakPerItem,
              double writesPerText, Write last) {
    /** The row, with {@code bytes} the size of one such item as stored after the run (0: gone, e.g. deleted). */
    String markdown(int bytes) {
      return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %.2f | %d | %d | %s |%n", itemType, writes,
          partitionKeys, items, writesPerText, peakPerPartitionKey, peakPerItem,
          bytes > 0 ? String.format(Locale.ROOT, "%,d", bytes) : "–");
    }

    static final String HEADER = "| item type | writes | partition keys | items | writes per text | "
        + "peak writes/s on one partition key | peak writes/s on one item | item size (bytes, one of them) |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  }

  /**
   * For each item type: the highest number of writes that one partition key (and one item) took within one
   * second, seconds counted from {@code originNanos} in whole windows [k s, k+1 s); {@code texts} divides the
   * writes (texts sent, or replies stored, in the same time).
   */
  static List<Rate> rates(Collection<Write> writes, long originNanos, long texts) {
    Map<String, List<Write>> byType = new TreeMap<>();
    for (Write w : writes) {
      byType.computeIfAbsent(itemType(w.pk(), w.sk()), k -> new ArrayList<>()).add(w);
    }
    List<Rate> out = new ArrayList<>();
    byType.forEach((type, list) -> {
      Map<String, Map<Long, Integer>> perPk = new HashMap<>();
      Map<String, Map<Long, Integer>> perItem = new HashMap<>();
      for (Write w : list) {
        long second = Math.floorDiv(w.nanos() - originNanos, 1_000_000_000L);
        perPk.computeIfAbsent(w.pk(), k -> new HashMap<>()).merge(second, 1, Integer::sum);
        perItem.computeIfAbsent(w.pk() + "\n" + w.sk(), k -> new HashMap<>()).merge(second, 1, Integer::sum);
      }
      out.add(new Rate(type, list.size(), perPk.size(), perItem.size(), peak(perPk), peak(perItem),
          texts > 0 ? (double) list.size() / texts : 0, list.getLast()));
    });
    out.sort((a, b) -> Long.compare(b.writes(), a.writes()));
    return out;
  }

  /**
   * The same per partition key pattern ({@link #elide}d), over every item type: several item types share a
   * partition (the goal's batches, leases, results and counters all live in {@code ORG#{}#GOAL#{}}), and
   * DynamoDB's per-partition limits apply to their sum.
   */
  static List<Rate> partitionRates(Collection<Write> writes, long originNanos, long texts) {
    List<Write> renamed = writes.stream().map(w -> new Write(w.pk(), "", w.nanos())).toList();
    Map<String, List<Write>> byPattern = new TreeMap<>();
    for (Write w : renamed) {
      byPattern.computeIfAbsent(elide(w.pk()), k -> new ArrayList<>()).add(w);
    }
    List<Rate> out = new ArrayList<>();
    byPattern.forEach((pattern, list) -> {
      Map<String, Map<Long, Integer>> perPk = new HashMap<>();
      for (Write w : list) {
        perPk.computeIfAbsent(w.pk(), k -> new HashMap<>())
            .merge(Math.floorDiv(w.nanos() - originNanos, 1_000_000_000L), 1, Integer::sum);
      }
      out.add(new Rate(pattern, list.size(), perPk.size(), perPk.size(), peak(perPk), peak(perPk),
          texts > 0 ? (double) list.size() / texts : 0, list.getLast()));
    });
    out.sort((a, b) -> Long.compare(b.writes(), a.writes()));
    return out;
  }

  /** A partition pattern's row: writes, keys, writes per text, the busiest key's peak in one second. */
  static String partitionMarkdown(Rate r) {
    return String.format(Locale.ROOT, "| `%s` | %,d | %,d | %.2f | %d |%n", r.itemType(), r.writes(),
        r.partitionKeys(), r.writesPerText(), r.peakPerPartitionKey());
  }

  static final String PARTITION_HEADER = "| partition key pattern | writes | partition keys | writes per text | "
      + "peak writes/s on one partition key |\n|---|---:|---:|---:|---:|\n";

  private static int peak(Map<String, Map<Long, Integer>> perKey) {
    return perKey.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).max().orElse(0);
  }
}
