package dev.goalpost.workflows;

import dev.goalpost.conversations.ThreadRepository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How a crowded unread claim picks its share of the oldest claimable threads. */
class UnreadShareTest {

  /** A window of claimable threads, oldest reply first. */
  private static List<Map<String, AttributeValue>> window(int size, int seed) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      out.add(Map.of(ThreadRepository.A_THREAD_ID, AttributeValue.fromS("th_grp" + seed + "_c" + i)));
    }
    return out;
  }

  /** The split a window of {@code size} gives: powers of two, about 20 threads each, at most 16. */
  private static int shares(int size) {
    return Math.max(1, Math.min(UnreadClaims.SHARES, Integer.highestOneBit(Math.max(1, size / (2 * UnreadClaims.BATCH_SIZE)))));
  }

  private static List<String> ids(List<Map<String, AttributeValue>> threads) {
    return threads.stream().map(t -> t.get(ThreadRepository.A_THREAD_ID).s()).toList();
  }

  @Property
  void consecutiveTicketsInAFullWindowTakeDisjointThreads(@ForAll @LongRange(min = 0, max = 1_000_000) long first,
                                                          @ForAll @IntRange(min = 0, max = 1000) int seed) {
    var window = window(UnreadClaims.CROWD_WINDOW, seed);
    Set<String> ownTaken = new HashSet<>();
    for (long t = first; t < first + UnreadClaims.SHARES; t++) {
      List<String> mine = ids(UnreadClaims.share(window, t));
      assertThat(mine).hasSize(UnreadClaims.BATCH_SIZE).doesNotHaveDuplicates();
      int share = (int) Math.floorMod(t, (long) UnreadClaims.SHARES);
      List<String> own = mine.stream().filter(id -> UnreadClaims.shareOf(id, UnreadClaims.SHARES) == share).toList();
      assertThat(own).as("ticket %d takes threads of its own share first", t).isNotEmpty();
      assertThat(mine.subList(0, own.size())).isEqualTo(own);
      for (String id : own) {
        assertThat(ownTaken.add(id)).as("thread %s of ticket %d's share was taken by another ticket", id, t).isTrue();
      }
    }
  }

  @Property
  void aShareIsItsOldestThreadsThenTheNewestOfTheWindow(@ForAll @IntRange(min = 0, max = 400) int size,
                                                        @ForAll @LongRange(min = 0, max = 1000) long ticket) {
    var window = window(size, 7);
    List<String> all = ids(window);
    List<String> mine = ids(UnreadClaims.share(window, ticket));
    assertThat(mine).hasSize(Math.min(UnreadClaims.BATCH_SIZE, size)).doesNotHaveDuplicates();
    assertThat(all).containsAll(mine);
    int shares = shares(size);
    int own = (int) Math.floorMod(ticket, (long) shares);
    List<String> ofShare = all.stream().filter(id -> UnreadClaims.shareOf(id, shares) == own).toList();
    List<String> expectedOwn = ofShare.subList(0, Math.min(UnreadClaims.BATCH_SIZE, ofShare.size()));
    assertThat(mine.subList(0, expectedOwn.size())).isEqualTo(expectedOwn);
    List<String> rest = mine.subList(expectedOwn.size(), mine.size());
    List<String> newestOthers = new ArrayList<>(all.stream().filter(id -> !expectedOwn.contains(id)).toList());
    java.util.Collections.reverse(newestOthers);
    assertThat(rest).isEqualTo(newestOthers.subList(0, rest.size()));
  }

  @Property
  void claimsSeeingDifferentWindowsStillKeepToTheirShares(@ForAll @IntRange(min = 40, max = 320) int small,
                                                          @ForAll @IntRange(min = 0, max = 280) int more,
                                                          @ForAll @LongRange(min = 0, max = 1000) long ticket,
                                                          @ForAll @IntRange(min = 1, max = 15) int apart) {
    // One claim sees the window after others took threads from its head: a shorter, later view.
    var wide = window(Math.min(UnreadClaims.CROWD_WINDOW, small + more), 3);
    var narrow = wide.subList(wide.size() - small, wide.size());
    int fewer = shares(small);
    int many = shares(wide.size());
    long other = ticket + apart;
    if (Math.floorMod(other, (long) fewer) == Math.floorMod(ticket, (long) fewer)) {
      return; // same share at the coarser split: these two may meet, and retry
    }
    // Each claim's own part (before any top-up), each at the split its own window gives.
    List<String> ownA = ids(UnreadClaims.share(wide, ticket)).stream()
        .takeWhile(id -> UnreadClaims.shareOf(id, many) == Math.floorMod(ticket, many)).toList();
    List<String> ownB = ids(UnreadClaims.share(narrow, other)).stream()
        .takeWhile(id -> UnreadClaims.shareOf(id, fewer) == Math.floorMod(other, fewer)).toList();
    assertThat(ownA).doesNotContainAnyElementsOf(ownB);
  }

  @Test
  void aSmallWindowIsTakenOldestFirstWhateverTheTicket() {
    var window = window(UnreadClaims.BATCH_SIZE * 3, 1);
    for (long t = 0; t < 5; t++) {
      assertThat(ids(UnreadClaims.share(window, t))).isEqualTo(ids(window).subList(0, UnreadClaims.BATCH_SIZE));
    }
  }

  @Test
  void sharesSplitThreadIdsEvenly() {
    int[] counts = new int[UnreadClaims.SHARES];
    for (int i = 0; i < 16_000; i++) {
      counts[UnreadClaims.shareOf("th_grp_" + Integer.toString(i, 36), UnreadClaims.SHARES)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(800, 1200);
    }
  }
}
