package dev.goalpost.groups;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A team inside an org: its "location" (IANA zone, used for every date it shows and for hours of
 * operation), the numbers contacts see (each carried by a provider: {@code numberProviders}, keyed by number;
 * a number not listed uses the deployment's default provider), and the limits its agents work under.
 */
public record Group(
    String id,
    @JsonIgnore String orgId,
    String name,
    String timeZone,
    List<String> phoneNumbers,
    java.util.Map<String, NumberProvider> numberProviders,
    HoursOfOperation hoursOfOperation,
    int unreadClaimMinutes,
    int responseWindowMinutes,
    int dailySegmentCap,
    Instant createdAt,
    Instant updatedAt,
    @JsonIgnore long version) {

  public Group {
    phoneNumbers = List.copyOf(phoneNumbers);
    numberProviders = numberProviders == null ? java.util.Map.of() : java.util.Map.copyOf(numberProviders);
  }

  /** The provider of one of the group's numbers: its own setting, else the deployment's default. */
  public NumberProvider providerOf(String e164, NumberProvider deploymentDefault) {
    return numberProviders.getOrDefault(e164, deploymentDefault);
  }

  @JsonIgnore
  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }
}
