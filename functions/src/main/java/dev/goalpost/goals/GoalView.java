package dev.goalpost.goals;

import dev.goalpost.groups.Group;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A goal as the API shows it at an instant: stored fields with dates in the group's zone, plus what the clock
 * decides now — {@code status}, the {@code calendar} (Step 1 / Step 2 / the type's date) and which
 * {@code workflows} agents have (SPEC §2 table).
 */
public final class GoalView {
  private GoalView() {}

  public static Map<String, Object> of(Goal g, Group group, Instant now) {
    ZoneId zone = group.zone();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("groupId", g.groupId());
    m.put("type", g.type().name());
    m.put("name", g.name());
    m.put("description", g.description());
    g.type().dateField().ifPresent(f -> m.put(f, ZonedDates.format(g.typeDate(), zone)));
    m.put("assignmentStrategy", g.assignmentStrategy().name());
    m.put("agentInstructions", g.agentInstructions());
    m.put("targeting", g.targeting());
    m.put("scripts", g.scripts());
    m.put("workflowsAvailableAt", ZonedDates.format(g.workflowsAvailableAt(), zone));
    m.put("workflowsCloseAt", ZonedDates.format(g.workflowsCloseAt(), zone));
    m.put("remindersEnabled", g.remindersEnabled());
    m.put("remindersAvailableAt", ZonedDates.format(g.remindersAvailableAt(), zone));
    m.put("remindersCloseAt", ZonedDates.format(g.remindersCloseAt(), zone));
    GoalSchedule.Workflows w = GoalSchedule.workflowsAt(g, now);
    m.put("status", w.status().name());
    m.put("timeZone", zone.getId());
    Map<String, Object> calendar = new LinkedHashMap<>();
    calendar.put("reachOut", window(g.workflowsAvailableAt(), g.workflowsCloseAt(), zone));
    calendar.put("reminders", g.remindersEnabled() ? window(g.remindersAvailableAt(), g.remindersCloseAt(), zone) : null);
    g.type().dateField().ifPresent(f -> calendar.put(f, ZonedDates.format(g.typeDate(), zone)));
    m.put("calendar", calendar);
    Map<String, Object> workflows = new LinkedHashMap<>();
    workflows.put("initial", w.initial());
    workflows.put("reminders", w.reminders());
    workflows.put("unread", w.unread());
    workflows.put("scripts", w.scripts().name());
    workflows.put("leadActions", w.leadActions());
    m.put("workflows", workflows);
    m.put("launchedAt", ZonedDates.format(g.launchedAt(), zone));
    m.put("pausedAt", ZonedDates.format(g.pausedAt(), zone));
    m.put("duplicatedFrom", g.duplicatedFrom());
    m.put("createdAt", ZonedDates.format(g.createdAt(), zone));
    m.put("updatedAt", ZonedDates.format(g.updatedAt(), zone));
    return m;
  }

  private static Map<String, Object> window(Instant from, Instant to, ZoneId zone) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("from", ZonedDates.format(from, zone));
    w.put("to", ZonedDates.format(to, zone));
    return w;
  }
}
