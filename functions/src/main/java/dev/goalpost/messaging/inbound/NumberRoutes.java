package dev.goalpost.messaging.inbound;

import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.groups.GroupRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which group a texted number belongs to, remembered by the warm processor so a reply needs no GetItem of the
 * number before its BatchGetItem.
 *
 * <p><b>A stale entry is harmless by construction:</b> the processor still reads the number's claim item in
 * the same strongly consistent BatchGetItem as the reply's own items (the entry only tells it which keys to
 * ask for), and stores nothing unless the claim names the org and group it used. A number that moved to
 * another group (or org) since it was cached costs one more BatchGetItem with the right keys; a number no
 * group holds any more is refused as unknown. So a miss or a stale hit can never deliver to the wrong org.
 *
 * <p>Staleness: the owner is kept {@link #OWNER_TTL} (only a cost question, see above); the group's settings
 * carried with it (name for confirmations, zone for the 10DLC day) are kept {@link #GROUP_TTL}, as
 * {@link GroupCache} keeps them for sends: an edit reaches every processor within a minute. When they expire the
 * group item is read again in the same BatchGetItem (no extra request). At most {@value #MAX_ENTRIES} numbers
 * are kept; past that the map is cleared (a function instance rarely sees that many).
 */
final class NumberRoutes {
  static final Duration OWNER_TTL = Duration.ofMinutes(10);
  static final Duration GROUP_TTL = Duration.ofSeconds(60);
  static final int MAX_ENTRIES = 10_000;

  /** The owner of a number, and its group's settings when they are fresh. */
  record Route(GroupRepository.NumberOwner owner, Optional<Group> group) {}

  private record Entry(GroupRepository.NumberOwner owner, Instant ownerExpires, Group group, Instant groupExpires) {}

  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  NumberRoutes(Clock clock) {
    this.clock = clock;
  }

  /** What is remembered about {@code number}, if anything still fresh. */
  Optional<Route> get(String number) {
    Instant now = clock.instant();
    Entry e = entries.get(number);
    if (e == null || !e.ownerExpires().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(new Route(e.owner(), e.group() != null && e.groupExpires().isAfter(now) ? Optional.of(e.group())
        : Optional.empty()));
  }

  /** Remembers what was just verified against the stored claim (and, when read with it, the group). */
  void put(String number, GroupRepository.NumberOwner owner, Group group, boolean groupFresh) {
    Instant now = clock.instant();
    if (entries.size() >= MAX_ENTRIES && !entries.containsKey(number)) {
      entries.clear();
    }
    Entry old = entries.get(number);
    Instant groupExpires = groupFresh ? now.plus(GROUP_TTL)
        : old != null && old.group() != null && old.owner().equals(owner) && old.group().id().equals(group.id())
            ? old.groupExpires() : now;
    entries.put(number, new Entry(owner, now.plus(OWNER_TTL), group, groupExpires));
  }

  /** Remembers an owner read from the claim without its group (the next read asks for the group item too). */
  void remember(String number, GroupRepository.NumberOwner owner) {
    Instant now = clock.instant();
    entries.put(number, new Entry(owner, now.plus(OWNER_TTL), null, now));
  }

  void forget(String number) {
    entries.remove(number);
  }
}
