package dev.goalpost.goals;

import dev.goalpost.platform.http.Violations;
import dev.goalpost.scripts.ScriptKind;
import java.time.ZoneId;
import java.time.Instant;
import java.util.List;

/**
 * What a goal must satisfy: always (every save), and to be launched or stay launched. Each rule names the
 * field it is about, so one answer lists everything to fix.
 */
public final class GoalRules {
  private GoalRules() {}

  /** Checks one script body; answers the problems as messages (empty when the script is fine). */
  @FunctionalInterface
  public interface ScriptChecker {
    List<String> check(ScriptKind kind, String body);
  }

  /** Rules every saved goal, draft or not, satisfies: valid scripts and coherent dates where given. */
  public static void checkSaved(Goal g, ZoneId zone, ScriptChecker scripts, Violations v) {
    checkScripts("scripts.initial", ScriptKind.INITIAL, g.scripts().initial(), scripts, v);
    checkScripts("scripts.reminder", ScriptKind.REMINDER, g.scripts().reminder(), scripts, v);
    checkScripts("scripts.response", ScriptKind.RESPONSE, g.scripts().response(), scripts, v);
    checkScripts("scripts.additionalResponse", ScriptKind.ADDITIONAL_RESPONSE, g.scripts().additionalResponse(),
        scripts, v);
    checkWindow("workflowsAvailableAt", g.workflowsAvailableAt(), "workflowsCloseAt", g.workflowsCloseAt(), zone, v);
    if (g.remindersEnabled()) {
      checkWindow("remindersAvailableAt", g.remindersAvailableAt(), "remindersCloseAt", g.remindersCloseAt(), zone, v);
      if (g.remindersAvailableAt() != null && g.workflowsAvailableAt() != null
          && g.remindersAvailableAt().isBefore(g.workflowsAvailableAt())) {
        v.add("remindersAvailableAt", "must not be before workflowsAvailableAt: reminders follow the reach-out");
      }
    }
  }

  /**
   * Rules of a launched goal (checked at launch and on every later edit): everything an agent needs must be
   * there. {@code launching} adds the rule that the reach-out must not be over already.
   */
  public static void checkLaunchable(Goal g, boolean launching, Instant now, Violations v) {
    if (g.name() == null || g.name().isBlank()) {
      v.add("name", "is required");
    }
    g.type().dateField().ifPresent(field -> {
      if (g.type().dateRequired() && g.typeDate() == null) {
        v.add(field, "is required for " + g.type() + " goals (scripts can show it as <"
            + g.type().dateMergeFields().getFirst() + ">)");
      }
    });
    if (g.workflowsAvailableAt() == null) {
      v.add("workflowsAvailableAt", "is required: when agents can start reaching out (Step 1)");
    }
    if (g.workflowsCloseAt() == null) {
      v.add("workflowsCloseAt", "is required: when reaching out stops (Step 1)");
    }
    if (g.scripts().initial().isEmpty()) {
      v.add("scripts.initial", "needs at least one initial script");
    }
    if (g.remindersEnabled()) {
      if (g.remindersAvailableAt() == null) {
        v.add("remindersAvailableAt", "is required when reminders are enabled (Step 2)");
      }
      if (g.remindersCloseAt() == null) {
        v.add("remindersCloseAt", "is required when reminders are enabled (Step 2)");
      }
      if (g.scripts().reminder().isEmpty()) {
        v.add("scripts.reminder", "needs at least one reminder script when reminders are enabled");
      }
    }
    if (launching && g.workflowsCloseAt() != null && !now.isBefore(g.workflowsCloseAt())) {
      v.add("workflowsCloseAt", "has passed; a goal launched now would be completed at once");
    }
  }

  private static void checkScripts(String path, ScriptKind kind, List<Script> list, ScriptChecker checker,
                                   Violations v) {
    for (int i = 0; i < list.size(); i++) {
      for (String problem : checker.check(kind, list.get(i).body())) {
        v.add(path + "[" + i + "].body", problem);
      }
    }
  }

  /**
   * A window ends after it starts and lasts at most 31 calendar days in the group's zone — so a window
   * crossing the end of DST (a 25-hour day) may still end at the same wall-clock time 31 days later.
   */
  private static void checkWindow(String startField, Instant start, String endField, Instant end, ZoneId zone,
                                  Violations v) {
    if (start == null || end == null) {
      return;
    }
    if (!end.isAfter(start)) {
      v.add(endField, "must be after " + startField);
    } else if (end.isAfter(start.atZone(zone).plus(GoalSchedule.MAX_WINDOW_DAYS).toInstant())) {
      v.add(endField, "is more than " + GoalSchedule.MAX_WINDOW.toDays() + " days after " + startField
          + "; the window may be at most " + GoalSchedule.MAX_WINDOW.toDays() + " days in the group's time zone");
    }
  }
}
