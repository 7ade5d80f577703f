package dev.goalpost.conversations;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The idempotency log of a thread: its latest {@value #KEEP} send requests, kept on the thread item (attribute
 * {@code recent}, a list of {@code digest|atMs(base 36)|messageId}, about 45 bytes each, ~360 bytes in all) and
 * rewritten by the send's own conditional thread update, so a retry costs no extra item.
 *
 * <p>A digest is the agent and either the request's JSON body (no Idempotency-Key: a retry within
 * {@link #IMPLICIT_WINDOW}) or its Idempotency-Key (for as long as the entry stays among the thread's last
 * {@value #KEEP} requests; in practice the 24 hours a key promises, since a thread rarely sees 8 texts a day).
 * The entry names the first answer's message (its sort key is {@code MSG#{atMs}#{messageId}}), which a retry
 * reads back.
 */
public final class RecentRequests {
  /** The bound: the thread's last 8 send requests. */
  public static final int KEEP = 8;
  public static final java.time.Duration IMPLICIT_WINDOW = java.time.Duration.ofMinutes(5);
  public static final java.time.Duration KEYED_WINDOW = java.time.Duration.ofHours(24);

  private RecentRequests() {}

  /** One earlier request: its digest, when it was stored, and its message. */
  public record Entry(String digest, long atMs, String messageId) {
    public String encode() {
      return digest + "|" + Long.toString(atMs, 36) + "|" + messageId;
    }

    /** The sort key of the message the request stored. */
    public String messageSortKey() {
      return "MSG#" + ThreadRepository.sortMs(atMs) + "#" + messageId;
    }

    static Optional<Entry> decode(String raw) {
      String[] p = raw.split("\\|");
      if (p.length != 3) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Entry(p[0], Long.parseLong(p[1], 36), p[2]));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /** The earlier request with this digest still within its window, if any. */
  public static Optional<Entry> find(List<String> recent, String digest, boolean keyed, Instant now) {
    long windowStart = now.minus(keyed ? KEYED_WINDOW : IMPLICIT_WINDOW).toEpochMilli();
    for (int i = recent.size() - 1; i >= 0; i--) {
      Optional<Entry> e = Entry.decode(recent.get(i));
      if (e.isPresent() && e.get().digest().equals(digest) && e.get().atMs() > windowStart) {
        return e;
      }
    }
    return Optional.empty();
  }

  /** The log after appending {@code entry}: the last {@value #KEEP}. */
  public static List<String> append(List<String> recent, Entry entry) {
    List<String> out = new ArrayList<>(recent);
    out.add(entry.encode());
    return out.size() <= KEEP ? out : new ArrayList<>(out.subList(out.size() - KEEP, out.size()));
  }
}
