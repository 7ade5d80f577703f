package dev.goalpost.goals;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.goalpost.contacts.Contact;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which of a group's contacts a goal targets: every filter must hold (AND). Defaults to the whole group.
 * Opted-out and deactivated contacts are never targeted, whatever the filters say. Custom field matching is
 * case-sensitive (SPEC §4); tag matching is exact.
 */
public record Targeting(Tags tags, List<FieldFilter> customFields, List<ResultFilter> goalResults) {
  public static final Targeting EVERYONE = new Targeting(Tags.NONE, List.of(), List.of());

  public Targeting {
    tags = tags == null ? Tags.NONE : tags;
    customFields = List.copyOf(customFields);
    goalResults = List.copyOf(goalResults);
  }

  public record Tags(List<String> hasAll, List<String> hasAny, List<String> hasNone) {
    public static final Tags NONE = new Tags(List.of(), List.of(), List.of());

    public Tags {
      hasAll = List.copyOf(hasAll);
      hasAny = List.copyOf(hasAny);
      hasNone = List.copyOf(hasNone);
    }
  }

  public enum FieldOp { IS_ANY_OF, IS_NOT_ANY_OF, HAS_ANY_VALUE, IS_BLANK }

  public record FieldFilter(String field, FieldOp op, List<String> values) {
    public FieldFilter {
      values = values == null ? List.of() : List.copyOf(values);
    }
  }

  public enum ResultCondition { YES, NO, NO_RESULT, MESSAGED, NOT_MESSAGED, RESPONDED, DID_NOT_RESPOND, SKIPPED }

  public record ResultFilter(String goalId, ResultCondition result) {}

  /** Duplicating a goal whose targeting depends on another goal's results is refused (SPEC §2). */
  @JsonIgnore
  public boolean usesGoalResults() {
    return !goalResults.isEmpty();
  }

  /**
   * Whether {@code c} is targeted, given the results of the goals the filters name
   * ({@code results.get(goalId).get(contactId)}, absent = no result).
   */
  public boolean matches(Contact c, Map<String, Map<String, GoalResult>> results) {
    if (c.optedOut() || c.deactivated()) {
      return false;
    }
    if (!c.tags().containsAll(tags.hasAll())) {
      return false;
    }
    if (!tags.hasAny().isEmpty() && tags.hasAny().stream().noneMatch(c.tags()::contains)) {
      return false;
    }
    if (tags.hasNone().stream().anyMatch(c.tags()::contains)) {
      return false;
    }
    for (FieldFilter f : customFields) {
      String value = c.customFields().get(f.field());
      boolean blank = value == null || value.isBlank();
      boolean ok = switch (f.op()) {
        case IS_ANY_OF -> !blank && f.values().contains(value);
        case IS_NOT_ANY_OF -> blank || !f.values().contains(value);
        case HAS_ANY_VALUE -> !blank;
        case IS_BLANK -> blank;
      };
      if (!ok) {
        return false;
      }
    }
    for (ResultFilter r : goalResults) {
      GoalResult gr = results.getOrDefault(r.goalId(), Map.of()).getOrDefault(c.id(), GoalResult.NONE);
      boolean ok = switch (r.result()) {
        case YES -> gr.yes();
        case NO -> gr.no();
        case NO_RESULT -> !gr.yes() && !gr.no();
        case MESSAGED -> gr.messaged();
        case NOT_MESSAGED -> !gr.messaged();
        case RESPONDED -> gr.responded();
        case DID_NOT_RESPOND -> gr.messaged() && !gr.responded();
        case SKIPPED -> gr.skipped();
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @JsonIgnore
  public List<String> referencedGoalIds() {
    return goalResults.stream().map(ResultFilter::goalId).filter(Objects::nonNull).distinct().toList();
  }
}
