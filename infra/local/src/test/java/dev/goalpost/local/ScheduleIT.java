package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.goalpost.local.probe.ProbeDaily;
import dev.goalpost.local.probe.ProbeHourly;
import dev.goalpost.local.probe.ProbeLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schedules fire on the LOCAL clock: once per crossed due instant, never replaying missed runs. */
@LocalCloudTest
class ScheduleIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final LocalCloud cloud;
  private final ApiClient api;

  ScheduleIT(LocalCloud cloud, ApiClient api) {
    this.cloud = cloud;
    this.api = api;
  }

  @BeforeEach
  void frozenClock() throws Exception {
    api.freezeClock(api.now());
    cloud.awaitScheduleCheck(WAIT); // let anything an earlier test's clock move made due fire first
  }

  @AfterEach
  void realTime() {
    api.resetClock();
  }

  @Test
  void rateScheduleFiresOnceWhenTheClockCrossesItsDueTimeAndNotAgainUntilTheNext() throws Exception {
    int before = ProbeLog.count(ProbeHourly.NAME);

    cloud.awaitScheduleCheck(WAIT);
    assertThat(ProbeLog.count(ProbeHourly.NAME)).as("nothing is due while the clock stands still").isEqualTo(before);

    Instant moved = api.advanceClock(Duration.ofMinutes(61));
    Await.until(WAIT, "the hourly run", () -> ProbeLog.count(ProbeHourly.NAME), n -> n > before);
    cloud.awaitScheduleCheck(WAIT);
    cloud.awaitScheduleCheck(WAIT);

    assertThat(ProbeLog.count(ProbeHourly.NAME)).isEqualTo(before + 1);
    @SuppressWarnings("unchecked")
    Map<String, Object> input = (Map<String, Object>) ProbeLog.of(ProbeHourly.NAME).getLast();
    assertThat(input).containsEntry("job", "hourly");
    Instant scheduledFor = Instant.parse(String.valueOf(input.get("scheduledFor")));
    assertThat(scheduledFor).isBetween(moved.minus(Duration.ofMinutes(61)), moved);
  }

  @Test
  void jumpingSeveralPeriodsAheadFiresOnceNotOncePerMissedRun() throws Exception {
    int before = ProbeLog.count(ProbeHourly.NAME);

    api.advanceClock(Duration.ofHours(5));
    Await.until(WAIT, "the hourly run", () -> ProbeLog.count(ProbeHourly.NAME), n -> n > before);
    cloud.awaitScheduleCheck(WAIT);
    cloud.awaitScheduleCheck(WAIT);

    assertThat(ProbeLog.count(ProbeHourly.NAME)).isEqualTo(before + 1);
  }

  @Test
  void cronScheduleGetsAScheduledEventAtItsLocalTimeZoneDueTime() throws Exception {
    // 02:30 in Chicago on 2027-01-15 is 08:30 UTC (CST, UTC-6).
    api.freezeClock(Instant.parse("2027-01-15T08:00:00Z"));
    cloud.awaitScheduleCheck(WAIT);
    int before = ProbeLog.count(ProbeDaily.NAME);

    api.advanceClock(Duration.ofMinutes(29));
    cloud.awaitScheduleCheck(WAIT);
    assertThat(ProbeLog.count(ProbeDaily.NAME)).as("08:29 UTC is before 02:30 Chicago").isEqualTo(before);

    api.advanceClock(Duration.ofMinutes(1));
    Await.until(WAIT, "the nightly run", () -> ProbeLog.count(ProbeDaily.NAME), n -> n > before);

    List<Object> runs = ProbeLog.of(ProbeDaily.NAME);
    ScheduledEvent event = (ScheduledEvent) runs.getLast();
    assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
    assertThat(event.getSource()).isEqualTo("aws.scheduler");
    assertThat(Instant.ofEpochMilli(event.getTime().getMillis())).isEqualTo(Instant.parse("2027-01-15T08:30:00Z"));
  }
}
