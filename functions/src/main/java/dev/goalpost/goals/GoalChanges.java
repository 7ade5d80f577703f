package dev.goalpost.goals;

import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The fields a create or PATCH request gives. Absent = unchanged; a nullable field sent as null is cleared
 * ({@code Optional.of(Optional.empty())}). Dates are read in the group's zone ({@link ZonedDates}).
 */
public record GoalChanges(
    Optional<GoalType> type,
    Optional<String> name,
    Optional<Optional<String>> description,
    Optional<Optional<Instant>> eventStartAt,
    Optional<Optional<Instant>> shiftStartAt,
    Optional<Optional<Instant>> targetDate,
    Optional<AssignmentStrategy> assignmentStrategy,
    Optional<Optional<String>> agentInstructions,
    Optional<Targeting> targeting,
    Optional<ScriptsInput> scripts,
    Optional<Optional<Instant>> workflowsAvailableAt,
    Optional<Optional<Instant>> workflowsCloseAt,
    Optional<Boolean> remindersEnabled,
    Optional<Optional<Instant>> remindersAvailableAt,
    Optional<Optional<Instant>> remindersCloseAt,
    Set<String> given) {

  public static final int NAME_MAX = 120;
  public static final int DESCRIPTION_MAX = 2_000;
  static final Set<String> FIELDS = Set.of("type", "name", "description", "eventStartAt", "shiftStartAt",
      "targetDate", "assignmentStrategy", "agentInstructions", "targeting", "scripts", "workflowsAvailableAt",
      "workflowsCloseAt", "remindersEnabled", "remindersAvailableAt", "remindersCloseAt");
  /** Server-computed fields a client may echo back from a GET; they are ignored, not refused. */
  static final Set<String> READ_ONLY = Set.of("id", "groupId", "status", "calendar", "workflows", "launchedAt",
      "pausedAt", "createdAt", "updatedAt", "duplicatedFrom", "timeZone");

  /** Scripts given by kind; a kind that is absent keeps its scripts. */
  public record ScriptsInput(Optional<List<ScriptInput>> initial, Optional<List<ScriptInput>> response,
                             Optional<List<ScriptInput>> additionalResponse, Optional<List<ScriptInput>> reminder) {}

  /** A script as sent: an id to keep (editing a script keeps its id) or none for a new one. */
  public record ScriptInput(Optional<String> id, String body) {}

  public static GoalChanges parse(Fields f, ZoneId zone) {
    Violations v = f.violations();
    Set<String> allowed = new java.util.HashSet<>(FIELDS);
    allowed.addAll(READ_ONLY);
    f.allowOnly(allowed);
    Set<String> given = new java.util.HashSet<>();
    FIELDS.forEach(n -> {
      if (f.has(n)) {
        given.add(n);
      }
    });

    Optional<GoalType> type = f.string("type").flatMap(t -> {
      Optional<GoalType> parsed = GoalType.parse(t);
      if (parsed.isEmpty()) {
        v.add("type", "'" + t + "' is not a goal type; use one of EVENT, SHIFT, TARGET_DATE (or GOTV), "
            + "FUNDRAISING, CUSTOM");
      }
      return parsed;
    });
    notNull(f, "type");
    Optional<String> name = f.string("name").map(String::trim);
    if (name.isPresent() && (name.get().isEmpty() || name.get().length() > NAME_MAX)) {
      v.add("name", "must be 1 to " + NAME_MAX + " characters");
      name = Optional.empty();
    }
    notNull(f, "name");
    Optional<Optional<String>> description = nullableText(f, "description", DESCRIPTION_MAX);
    Optional<Optional<String>> instructions = nullableText(f, "agentInstructions",
        dev.goalpost.scripts.ScriptLimits.AGENT_INSTRUCTIONS_MAX_CHARS);
    Optional<AssignmentStrategy> strategy = f.string("assignmentStrategy").flatMap(s -> {
      try {
        return Optional.of(AssignmentStrategy.valueOf(s.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        v.add("assignmentStrategy", "must be ANYONE (first come, first served) or ASSIGNED (each contact's agent)");
        return Optional.empty();
      }
    });
    notNull(f, "assignmentStrategy");
    Optional<Targeting> targeting = f.object("targeting").map(TargetingInput::parse);
    if (f.isExplicitNull("targeting")) {
      targeting = Optional.of(Targeting.EVERYONE);
    }
    Optional<ScriptsInput> scripts = f.object("scripts").map(GoalChanges::scripts);
    notNull(f, "scripts");
    Optional<Boolean> reminders = f.bool("remindersEnabled");
    notNull(f, "remindersEnabled");
    return new GoalChanges(type, name, description,
        date(f, "eventStartAt", zone), date(f, "shiftStartAt", zone), date(f, "targetDate", zone),
        strategy, instructions, targeting, scripts,
        date(f, "workflowsAvailableAt", zone), date(f, "workflowsCloseAt", zone), reminders,
        date(f, "remindersAvailableAt", zone), date(f, "remindersCloseAt", zone), Set.copyOf(given));
  }

  private static void notNull(Fields f, String field) {
    if (f.isExplicitNull(field)) {
      f.violations().add(field, "cannot be null");
    }
  }

  private static Optional<Optional<String>> nullableText(Fields f, String field, int max) {
    if (f.isExplicitNull(field)) {
      return Optional.of(Optional.empty());
    }
    return f.string(field).map(String::trim).flatMap(s -> {
      if (s.length() > max) {
        f.violations().add(field, "is " + s.length() + " characters; at most " + max + " are allowed");
        return Optional.empty();
      }
      return Optional.of(s.isEmpty() ? Optional.<String>empty() : Optional.of(s));
    });
  }

  private static Optional<Optional<Instant>> date(Fields f, String field, ZoneId zone) {
    if (f.isExplicitNull(field)) {
      return Optional.of(Optional.empty());
    }
    return f.string(field).flatMap(s -> ZonedDates.parse(s, zone, field, f.violations())).map(Optional::of);
  }

  private static ScriptsInput scripts(Fields s) {
    s.allowOnly(Set.of("initial", "response", "additionalResponse", "reminder"));
    return new ScriptsInput(scriptList(s, "initial"), scriptList(s, "response"),
        scriptList(s, "additionalResponse"), scriptList(s, "reminder"));
  }

  private static Optional<List<ScriptInput>> scriptList(Fields s, String kind) {
    Violations v = s.violations();
    if (!s.has(kind)) {
      return Optional.empty();
    }
    if (s.isExplicitNull(kind)) {
      return Optional.of(List.of());
    }
    var node = s.rawNode().get(kind);
    if (!node.isArray()) {
      v.add(s.pathOf(kind), "must be an array of scripts, each {\"body\": \"…\"}");
      return Optional.empty();
    }
    if (node.size() > MAX_SCRIPTS_PER_KIND) {
      v.add(s.pathOf(kind), "may hold at most " + MAX_SCRIPTS_PER_KIND + " scripts");
      return Optional.empty();
    }
    List<ScriptInput> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String path = s.pathOf(kind) + "[" + i + "]";
      var e = node.get(i);
      if (e.isTextual()) {
        out.add(new ScriptInput(Optional.empty(), e.asText()));
        continue;
      }
      if (!e.isObject()) {
        v.add(path, "must be {\"body\": \"…\"} (with \"id\" to keep an existing script's id)");
        continue;
      }
      Fields sf = new Fields(e, path, v);
      sf.allowOnly(Set.of("id", "body"));
      Optional<String> body = sf.requiredString("body");
      Optional<String> id = sf.string("id");
      body.ifPresent(b -> out.add(new ScriptInput(id, b)));
    }
    return Optional.of(out);
  }

  static final int MAX_SCRIPTS_PER_KIND = 20;
}
