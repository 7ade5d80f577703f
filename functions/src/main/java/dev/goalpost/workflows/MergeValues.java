package dev.goalpost.workflows;

import dev.goalpost.contacts.Contact;
import dev.goalpost.goals.Goal;
import dev.goalpost.groups.Group;
import dev.goalpost.scripts.MergeFieldCatalog;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The values merge fields render to for one contact, agent, group and goal. Dates show in the group's zone:
 * {@code <event date>} as "Thursday, December 10", {@code <event time>} as "6:00 PM CST".
 */
final class MergeValues {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEEE, MMMM d", Locale.US);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a z", Locale.US);

  private MergeValues() {}

  static Function<String, Optional<String>> of(Contact contact, String agentName, Group group, Goal goal) {
    Map<String, String> custom = new java.util.HashMap<>();
    contact.customFields().forEach((k, v) -> custom.put(MergeFieldCatalog.key(k), v));
    return key -> {
      String v = switch (key) {
        case MergeFieldCatalog.FIRST_NAME -> contact.firstName();
        case MergeFieldCatalog.LAST_NAME -> contact.lastName();
        case MergeFieldCatalog.AGENT_NAME -> agentName;
        case MergeFieldCatalog.GROUP_NAME -> group.name();
        default -> dateField(key, group, goal).orElse(custom.get(key));
      };
      return Optional.ofNullable(v);
    };
  }

  /** The values every contact of the goal shares, by merge key: group name and the type's date/time fields. */
  static Map<String, String> goalValues(Group group, Goal goal) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put(MergeFieldCatalog.GROUP_NAME, group.name());
    for (String key : goal.type().dateMergeFields()) {
      dateField(key, group, goal).ifPresent(v -> out.put(key, v));
    }
    return out;
  }

  private static Optional<String> dateField(String key, Group group, Goal goal) {
    if (goal == null || goal.typeDate() == null) {
      return Optional.empty();
    }
    var fields = goal.type().dateMergeFields();
    var zoned = goal.typeDate().atZone(group.zone());
    if (fields.size() == 2 && key.equals(fields.get(0))) {
      return Optional.of(DATE.format(zoned));
    }
    if (fields.size() == 2 && key.equals(fields.get(1))) {
      return Optional.of(TIME.format(zoned));
    }
    return Optional.empty();
  }
}
