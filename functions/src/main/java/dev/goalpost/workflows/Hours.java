package dev.goalpost.workflows;

import dev.goalpost.groups.Group;
import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.time.LocalTime;

/** Hours of operation: agents work and send only inside them, in the group's zone. */
public final class Hours {
  private Hours() {}

  public static boolean isOpen(Group group, Instant now) {
    LocalTime local = now.atZone(group.zone()).toLocalTime();
    return group.hoursOfOperation().contains(local);
  }

  public static void requireOpen(Group group, Instant now) {
    if (!isOpen(group, now)) {
      throw ApiException.conflict("outside-hours", "Texting in " + group.name() + " is open from "
          + group.hoursOfOperation().start() + " to " + group.hoursOfOperation().end() + " (" + group.timeZone()
          + "); it is " + now.atZone(group.zone()).toLocalTime().withNano(0) + " there now");
    }
  }
}
