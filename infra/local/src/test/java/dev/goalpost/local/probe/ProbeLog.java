package dev.goalpost.local.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the probe functions saw, by function; the ITs run in the same JVM as the local cloud and read it. */
public final class ProbeLog {
  private static final Map<String, List<Object>> SEEN = new ConcurrentHashMap<>();

  private ProbeLog() {}

  static void record(String function, Object event) {
    SEEN.computeIfAbsent(function, k -> new CopyOnWriteArrayList<>()).add(event);
  }

  public static List<Object> of(String function) {
    return new ArrayList<>(SEEN.getOrDefault(function, List.of()));
  }

  public static int count(String function) {
    return SEEN.getOrDefault(function, List.of()).size();
  }
}
