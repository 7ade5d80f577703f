package dev.goalpost.workflows;

import dev.goalpost.conversations.UnreadIndex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.Goal;
import dev.goalpost.goals.GoalRepository;
import dev.goalpost.goals.GoalSchedule;
import dev.goalpost.goals.GoalStatus;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupCache;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import dev.goalpost.scripts.MergeFieldCatalog;
import dev.goalpost.scripts.ScriptKind;
import dev.goalpost.scripts.ScriptProblem;
import dev.goalpost.scripts.ScriptRules;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The agent's home: which workflows are open in their goals now, and their own scripts. */
public final class MeService {
  static final int GOALS_PER_GROUP = 50;

  private final GoalRepository goals;
  private final BatchRepository batches;
  private final UnreadIndex unread;
  private final GroupCache groups;
  private final AgentScripts scripts;
  private final Clock clock;
  private final Ids ids;
  private final dev.goalpost.counters.DailySegments segments;

  public MeService(GoalRepository goals, BatchRepository batches, UnreadIndex unread, GroupCache groups,
                   AgentScripts scripts, dev.goalpost.counters.DailySegments segments, Clock clock, Ids ids) {
    this.segments = segments;
    this.goals = goals;
    this.batches = batches;
    this.unread = unread;
    this.groups = groups;
    this.scripts = scripts;
    this.clock = clock;
    this.ids = ids;
  }

  /**
   * For each goal of the agent's groups that is not a draft: its status, which workflows are open to this
   * agent now (status × strategy × reminder window × hours of operation) and how much work waits.
   * Each entry also carries what the agent's screen renders scripts with: the goal's scripts while the
   * agent may use them ({@code goalScripts}) and the goal-level merge values ({@code mergeValues}: group
   * name, the type's date and time as sends format them).
   * Cost: per group 1 Query per 50 goals (every goal, not only the first 50) + 1 BatchGetItem (today's segment shards);
   * up to 3 COUNT Queries per goal (each reads only claimable work, every page of it).
   */
  public Map<String, Object> workflows(Principal agent) {
    Instant now = clock.instant();
    List<Map<String, Object>> out = new ArrayList<>();
    for (String groupId : agent.groups().stream().sorted().toList()) {
      Optional<Group> group = groups.get(agent.orgId(), groupId);
      if (group.isEmpty()) {
        continue;
      }
      boolean hoursOpen = Hours.isOpen(group.get(), now);
      long used = segments.today(group.get(), now);
      int cap = group.get().dailySegmentCap();
      boolean capReached = used >= cap;
      Map<String, Object> daily = new LinkedHashMap<>();
      daily.put("used", used);
      daily.put("cap", cap);
      daily.put("warning", used >= dev.goalpost.counters.DailySegments.WARNING_SHARE * cap);
      daily.put("capReached", capReached);
      for (Goal goal : allGoals(agent.orgId(), groupId)) {
        GoalSchedule.Workflows w = GoalSchedule.workflowsAt(goal, now);
        if (w.status() == GoalStatus.DRAFT) {
          continue;
        }
        OpenWorkflows open = OpenWorkflows.of(w, goal.assignmentStrategy(), agent.userId(), hoursOpen, capReached);
        String pool = open.pool();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("goalId", goal.id());
        entry.put("groupId", groupId);
        entry.put("name", goal.name());
        entry.put("type", goal.type().name());
        entry.put("status", w.status().name());
        entry.put("assignmentStrategy", goal.assignmentStrategy().name());
        entry.put("agentInstructions", goal.agentInstructions());
        entry.put("hoursOpen", hoursOpen);
        entry.put("hoursOfOperation", group.get().hoursOfOperation());
        Map<String, Object> flows = new LinkedHashMap<>();
        entry.put("dailySegments", daily);
        // Claimable batches, and of them those whose contacts are outside their hours now (the same Query the
        // count made, projected to each batch's zone key: same RCU).
        java.util.function.Predicate<String> zoneOpen = zone -> Hours.isOpen(group.get(), zone, now);
        flows.put("initial", batchFlow(open.initial(), w.initial()
            ? batches.claimable(agent.orgId(), goal.id(), WorkflowKind.INITIAL, pool, now, zoneOpen) : null));
        flows.put("reminders", batchFlow(open.reminders(), w.reminders()
            ? batches.claimable(agent.orgId(), goal.id(), WorkflowKind.REMINDERS, pool, now, zoneOpen) : null));
        flows.put("unread", flow(open.unread(), w.unread()
            ? unread.countClaimable(agent.orgId(), goal.id(), pool, now) : 0, "threads"));
        entry.put("workflows", flows);
        entry.put("scripts", w.scripts().name());
        entry.put("leadActions", w.leadActions());
        // What an agent's screen needs to show the text before sending it (the send renders it again).
        entry.put("groupName", group.get().name());
        entry.put("timeZone", group.get().timeZone());
        entry.put("goalScripts", w.scripts() == GoalSchedule.ScriptAccess.ALL ? goal.scripts() : dev.goalpost.goals.Scripts.EMPTY);
        entry.put("mergeValues", MergeValues.goalValues(group.get(), goal));
        out.add(entry);
      }
    }
    return Map.of("goals", out, "asOf", now.toString());
  }

  /** Every goal of the group, a page of {@value #GOALS_PER_GROUP} at a time (1 Query per page). */
  private List<Goal> allGoals(String orgId, String groupId) {
    List<Goal> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Goal> page = goals.listByGroup(orgId, groupId, GOALS_PER_GROUP, cursor);
      out.addAll(page.items());
      cursor = Optional.ofNullable(page.nextCursor());
    } while (cursor.isPresent());
    return out;
  }

  /** A batch workflow's entry: claimable only while some claimable batch's zone is open now. */
  private static Map<String, Object> batchFlow(boolean open, BatchRepository.Claimable claimable) {
    if (claimable == null) {
      Map<String, Object> m = flow(open, 0, "batches");
      m.put("waitingForHours", 0);
      return m;
    }
    int closed = claimable.waitingByZone().values().stream().mapToInt(BatchRepository.Claimable.Waiting::batches).sum();
    Map<String, Object> m = flow(open && (claimable.batches() == 0 || closed < claimable.batches()),
        claimable.batches(), "batches");
    m.put("waitingForHours", closed);
    return m;
  }

  private static Map<String, Object> flow(boolean open, int waiting, String unit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("open", open);
    m.put("waiting", waiting);
    m.put("unit", unit);
    return m;
  }

  public AgentScripts.AgentScript createScript(Principal agent, JsonNode body) {
    Violations v = new Violations();
    Fields f = Fields.ofBody(body, v);
    f.allowOnly(Set.of("name", "body"));
    Optional<String> name = f.string("name").map(String::trim);
    if (name.isPresent() && name.get().length() > 80) {
      v.add("name", "may be at most 80 characters");
    }
    Optional<String> text = f.requiredString("body");
    text.ifPresent(t -> {
      for (ScriptProblem p : ScriptRules.validate(ScriptKind.AGENT, t, MergeFieldCatalog.builtIns())) {
        v.add("body", p.message());
      }
    });
    v.throwIfAny();
    if (scripts.list(agent.orgId(), agent.userId()).size() >= AgentScripts.MAX_PER_AGENT) {
      throw ApiException.conflict("too-many-scripts", "You have " + AgentScripts.MAX_PER_AGENT
          + " scripts, the most allowed");
    }
    AgentScripts.AgentScript s = new AgentScripts.AgentScript(ids.next("ascr"), name.orElse(null), text.get(),
        clock.instant());
    scripts.put(agent.orgId(), agent.userId(), s);
    return s;
  }

  public Map<String, Object> listScripts(Principal agent) {
    return Map.of("items", scripts.list(agent.orgId(), agent.userId()));
  }
}
