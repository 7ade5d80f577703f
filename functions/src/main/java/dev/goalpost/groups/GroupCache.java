package dev.goalpost.groups;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups read on hot paths (claims, sends) are cached per function instance for {@value #TTL_SECONDS}
 * seconds: a group's zone, hours and limits change rarely, and an edit reaches every instance within a
 * minute. Saves one GetItem per claim or send.
 */
public final class GroupCache {
  static final long TTL_SECONDS = 60;
  private final GroupRepository groups;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(Group group, Instant expires) {}

  public GroupCache(GroupRepository groups, Clock clock) {
    this.groups = groups;
    this.clock = clock;
  }

  public Optional<Group> get(String orgId, String groupId) {
    Instant now = clock.instant();
    String k = orgId + "|" + groupId;
    Entry e = entries.get(k);
    if (e != null && e.expires().isAfter(now)) {
      return Optional.of(e.group());
    }
    Optional<Group> g = groups.get(orgId, groupId);
    g.ifPresent(found -> entries.put(k, new Entry(found, now.plus(Duration.ofSeconds(TTL_SECONDS)))));
    return g;
  }
}
