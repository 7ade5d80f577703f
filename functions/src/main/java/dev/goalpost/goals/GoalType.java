package dev.goalpost.goals;

import java.util.List;
import java.util.Optional;

/**
 * Goal templates. Each names the date field its form shows (and that scripts can merge as
 * {@code <event date>}, {@code <event time>} …), whether that date is required at launch, and the initial
 * script a new draft starts from.
 */
public enum GoalType {
  EVENT("eventStartAt", "event", true,
      "Hi <first name|there>, it's <agent name> with <group name>. Can you join us on <event date> at "
          + "<event time>? Reply STOP to opt out"),
  SHIFT("shiftStartAt", "shift", true,
      "Hi <first name|there>, it's <agent name> with <group name>. Can you take a volunteer shift on "
          + "<shift date> at <shift time>? Reply STOP to opt out"),
  TARGET_DATE("targetDate", "target", true,
      "Hi <first name|there>, it's <agent name> with <group name>. Do you have a plan to vote by <target date>? "
          + "Reply STOP to opt out"),
  FUNDRAISING("targetDate", "target", false,
      "Hi <first name|there>, it's <agent name> with <group name>. Would you chip in before <target date>? "
          + "Reply STOP to opt out"),
  CUSTOM(null, null, false,
      "Hi <first name|there>, it's <agent name> with <group name>. Reply STOP to opt out");

  /** Accepted on input as a synonym of TARGET_DATE (the seed calls these GOTV goals). */
  static final String GOTV = "GOTV";

  private final String dateField;
  private final String mergePrefix;
  private final boolean dateRequired;
  private final String defaultInitialScript;

  GoalType(String dateField, String mergePrefix, boolean dateRequired, String defaultInitialScript) {
    this.dateField = dateField;
    this.mergePrefix = mergePrefix;
    this.dateRequired = dateRequired;
    this.defaultInitialScript = defaultInitialScript;
  }

  public static Optional<GoalType> parse(String raw) {
    String s = raw.trim().toUpperCase(java.util.Locale.ROOT);
    if (s.equals(GOTV)) {
      return Optional.of(TARGET_DATE);
    }
    for (GoalType t : values()) {
      if (t.name().equals(s)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The JSON field holding this type's date, if it has one. */
  public Optional<String> dateField() {
    return Optional.ofNullable(dateField);
  }

  public boolean dateRequired() {
    return dateRequired;
  }

  public String defaultInitialScript() {
    return defaultInitialScript;
  }

  /** Merge fields this type's date adds: {@code <event date>}, {@code <event time>}; none for CUSTOM. */
  public List<String> dateMergeFields() {
    return mergePrefix == null ? List.of() : List.of(mergePrefix + " date", mergePrefix + " time");
  }
}
