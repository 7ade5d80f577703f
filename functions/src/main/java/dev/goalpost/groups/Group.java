package dev.goalpost.groups;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A team inside an org: its "location" (IANA zone, used for every date it shows and for hours of
 * operation), the numbers contacts see, and the limits its agents work under.
 */
public record Group(
    String id,
    @JsonIgnore String orgId,
    String name,
    String timeZone,
    List<String> phoneNumbers,
    HoursOfOperation hoursOfOperation,
    int unreadClaimMinutes,
    int responseWindowMinutes,
    int dailySegmentCap,
    Instant createdAt,
    Instant updatedAt,
    @JsonIgnore long version) {

  public Group {
    phoneNumbers = List.copyOf(phoneNumbers);
  }

  @JsonIgnore
  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }
}
