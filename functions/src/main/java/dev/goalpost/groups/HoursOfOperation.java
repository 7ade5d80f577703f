package dev.goalpost.groups;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.LocalTime;

/** When agents may send, in the group's time zone: [start, end). Overnight windows are not allowed. */
public record HoursOfOperation(
    @JsonFormat(pattern = "HH:mm") LocalTime start,
    @JsonFormat(pattern = "HH:mm") LocalTime end) {

  public static final HoursOfOperation DEFAULT = new HoursOfOperation(LocalTime.of(8, 0), LocalTime.of(20, 0));

  public boolean contains(LocalTime t) {
    return !t.isBefore(start) && t.isBefore(end);
  }
}
