package dev.goalpost.conversations;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentRequestsTest {
  static final Instant NOW = Instant.parse("2026-12-02T16:00:00Z");

  @Test
  void aRetryWithinTheWindowFindsItsFirstMessage() {
    var e = new RecentRequests.Entry("abc123defg", NOW.toEpochMilli(), "msg_0001");
    List<String> log = RecentRequests.append(List.of(), e);
    var found = RecentRequests.find(log, "abc123defg", false, NOW.plusSeconds(60));
    assertEquals("msg_0001", found.orElseThrow().messageId());
    assertEquals("MSG#" + ThreadRepository.sortMs(NOW.toEpochMilli()) + "#msg_0001", found.get().messageSortKey());
  }

  @Test
  void theImplicitWindowEndsAfterFiveMinutesAKeyedOneAfterADay() {
    List<String> log = RecentRequests.append(List.of(), new RecentRequests.Entry("d1", NOW.toEpochMilli(), "m1"));
    Instant later = NOW.plus(RecentRequests.IMPLICIT_WINDOW).plusMillis(1);
    assertTrue(RecentRequests.find(log, "d1", false, later).isEmpty());
    assertTrue(RecentRequests.find(log, "d1", true, later).isPresent());
    assertTrue(RecentRequests.find(log, "d1", true, NOW.plus(RecentRequests.KEYED_WINDOW).plusMillis(1)).isEmpty());
  }

  @Test
  void theLogKeepsTheLastEightRequests() {
    List<String> log = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      log = RecentRequests.append(log, new RecentRequests.Entry("d" + i, NOW.toEpochMilli() + i, "m" + i));
    }
    assertEquals(RecentRequests.KEEP, log.size());
    assertTrue(RecentRequests.find(log, "d3", false, NOW).isEmpty());
    assertTrue(RecentRequests.find(log, "d4", false, NOW).isPresent());
    assertTrue(String.join(",", log).length() < 8 * 60, "stays small on the thread item: " + log);
  }
}
