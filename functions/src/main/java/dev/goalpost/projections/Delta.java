package dev.goalpost.projections;

import dev.goalpost.platform.Update;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What some stream records change on one derived item: numbers to ADD, attributes to SET (the latest record's
 * value wins) and attributes to set only if absent (the earliest wins). Deltas of several records merge into one
 * UpdateItem, so a batch writes each derived item once.
 */
final class Delta {
  final Map<String, Long> adds = new LinkedHashMap<>();
  final Map<String, AttributeValue> sets = new LinkedHashMap<>();
  final Map<String, AttributeValue> firsts = new LinkedHashMap<>();

  Delta add(String attribute, long by) {
    if (by != 0) {
      adds.merge(attribute, by, Long::sum);
    }
    return this;
  }

  Delta set(String attribute, AttributeValue v) {
    sets.put(attribute, v);
    return this;
  }

  Delta first(String attribute, AttributeValue v) {
    firsts.putIfAbsent(attribute, v);
    return this;
  }

  /** {@code later} folded into this one (records in stream order). */
  Delta merge(Delta later) {
    later.adds.forEach(this::add);
    sets.putAll(later.sets);
    later.firsts.forEach(firsts::putIfAbsent);
    return this;
  }

  boolean isEmpty() {
    return adds.values().stream().allMatch(v -> v == 0) && sets.isEmpty() && firsts.isEmpty();
  }

  void into(Update u) {
    sets.forEach(u::set);
    firsts.forEach((a, v) -> {
      if (!sets.containsKey(a)) {
        u.setIfAbsent(a, v);
      }
    });
    adds.forEach((a, v) -> {
      if (v != 0) {
        u.add(a, AttributeValue.fromN(Long.toString(v)));
      }
    });
  }

  @Override
  public String toString() {
    return "Delta" + adds + sets.keySet() + firsts.keySet();
  }
}
