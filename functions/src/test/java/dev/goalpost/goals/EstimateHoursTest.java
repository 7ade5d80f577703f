package dev.goalpost.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.groups.Group;
import dev.goalpost.groups.HoursOfOperation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The estimate's count of targeted contacts outside their hours now, per zone key, and when each opens. */
class EstimateHoursTest {
  static final Group NEW_YORK = new Group("grp_1", "org", "Brooklyn", "America/New_York", List.of("+17185550100"),
      Map.of(), HoursOfOperation.DEFAULT, 30, 60, 2000, Instant.EPOCH, Instant.EPOCH, 1);

  @Test
  void atNineInNewYorkThePacificAndIdahoContactsWaitAndSayWhenTheyOpen() {
    Map<String, Integer> byZone = new java.util.TreeMap<>(Map.of("America/New_York", 4, "America/Los_Angeles", 3,
        "America/Boise America/Los_Angeles", 2, "", 1));
    var out = GoalService.outsideHours(NEW_YORK, byZone, Instant.parse("2026-12-02T14:00:00Z"));
    assertThat(out.get("contacts")).isEqualTo(5);
    assertThat(out.get("nextOpensAt")).isEqualTo("2026-12-02T16:00:00Z");
    @SuppressWarnings("unchecked")
    var zones = (List<Map<String, Object>>) out.get("zones");
    assertThat(zones).extracting(z -> z.get("zone"))
        .containsExactly("America/Boise America/Los_Angeles", "America/Los_Angeles");
  }

  @Test
  void whenTheGroupIsClosedEveryoneWaitsContactsWithoutAZoneUnderTheGroupsName() {
    var out = GoalService.outsideHours(NEW_YORK, Map.of("", 2), Instant.parse("2026-12-02T02:00:00Z")); // 21:00 NY
    assertThat(out.get("contacts")).isEqualTo(2);
    assertThat(out.get("nextOpensAt")).isEqualTo("2026-12-02T13:00:00Z");
    @SuppressWarnings("unchecked")
    var zones = (List<Map<String, Object>>) out.get("zones");
    assertThat(zones.get(0).get("zone")).isEqualTo("America/New_York");
  }
}
