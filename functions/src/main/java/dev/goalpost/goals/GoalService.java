package dev.goalpost.goals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.contacts.ContactRepository;
import dev.goalpost.contacts.ContactZones;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.GroupRepository;
import dev.goalpost.platform.Ids;
import dev.goalpost.platform.Page;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.FieldError;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import dev.goalpost.scripts.MergeFieldCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin side of a goal's life: drafts, launch, pause/resume, edits (which also complete early and
 * reopen), duplication and targeting estimates. Only the group's admins and managers may touch a goal; a
 * goal of another org is simply not found.
 */
public final class GoalService {
  private final GoalRepository goals;
  private final GroupRepository groups;
  private final ContactRepository contacts;
  private final ScriptCheck scriptCheck;
  private final Clock clock;
  private final Ids ids;
  private final GoalTransitions transitions;
  private final dev.goalpost.platform.events.DomainEvents events;

  public GoalService(GoalRepository goals, GroupRepository groups, ContactRepository contacts,
                     GoalTransitions transitions, dev.goalpost.platform.events.DomainEvents events, Clock clock,
                     Ids ids) {
    this.goals = goals;
    this.transitions = transitions;
    this.events = events;
    this.groups = groups;
    this.contacts = contacts;
    this.scriptCheck = new ScriptCheck();
    this.clock = clock;
    this.ids = ids;
  }

  public Map<String, Object> create(Principal caller, String groupId, JsonNode body) {
    caller.requireManage(groupId);
    Group group = requireGroup(caller.orgId(), groupId);
    Violations v = new Violations();
    Fields f = Fields.ofBody(body, v);
    GoalChanges changes = GoalChanges.parse(f, group.zone());
    if (changes.type().isEmpty() && !f.has("type")) {
      v.add("type", "is required: EVENT, SHIFT, TARGET_DATE (or GOTV), FUNDRAISING or CUSTOM");
    }
    if (changes.name().isEmpty() && !f.has("name")) {
      v.add("name", "is required");
    }
    v.throwIfAny();
    Instant now = clock.instant();
    GoalType type = changes.type().get();
    Goal blank = new Goal(ids.next("goal"), caller.orgId(), groupId, type, changes.name().get(), null, null,
        AssignmentStrategy.ANYONE, null, Targeting.EVERYONE,
        new Scripts(List.of(new Script(ids.next("scr"), type.defaultInitialScript())), List.of(), List.of(),
            List.of()),
        null, null, false, null, null, null, null, false, null, now, now, 1);
    Goal draft = apply(blank, changes, group, now, false);
    goals.create(draft);
    return GoalView.of(draft, group, now);
  }

  public Map<String, Object> get(Principal caller, String goalId) {
    Goal g = requireGoal(caller, goalId);
    return GoalView.of(g, requireGroup(caller.orgId(), g.groupId()), clock.instant());
  }

  /** A page of the group's goals, newest first, optionally only those in {@code status} now. */
  public Page<Map<String, Object>> list(Principal caller, String groupId, Optional<String> status, int limit,
                                        Optional<String> cursor) {
    caller.requireManage(groupId);
    Group group = requireGroup(caller.orgId(), groupId);
    Optional<GoalStatus> wanted = status.map(s -> {
      try {
        return GoalStatus.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("status", "'" + s + "' is not one of DRAFT, SCHEDULED, ACTIVE, COMPLETED, PAUSED");
      }
    });
    Instant now = clock.instant();
    // Status is computed, so it cannot be a key condition; a filtered page may hold fewer than `limit`.
    Page<Goal> page = goals.listByGroup(caller.orgId(), groupId, limit, cursor);
    List<Map<String, Object>> items = page.items().stream()
        .filter(g -> wanted.isEmpty() || GoalSchedule.statusAt(g, now) == wanted.get())
        .map(g -> GoalView.of(g, group, now))
        .toList();
    return new Page<>(items, page.nextCursor());
  }

  public Map<String, Object> patch(Principal caller, String goalId, JsonNode body) {
    Goal current = requireGoal(caller, goalId);
    Group group = requireGroup(caller.orgId(), current.groupId());
    Violations v = new Violations();
    GoalChanges changes = GoalChanges.parse(Fields.ofBody(body, v), group.zone());
    v.throwIfAny();
    Instant now = clock.instant();
    Goal next = apply(current, changes, group, now, current.launched());
    goals.update(next, current.version());
    if (next.launched()) {
      afterChange(current, next, "EDIT", now);
    }
    return GoalView.of(next, group, now);
  }

  public void delete(Principal caller, String goalId) {
    Goal g = requireGoal(caller, goalId);
    if (g.launched() || !goals.deleteDraft(caller.orgId(), goalId)) {
      throw ApiException.conflict("goal-launched", "Launched goals are never deleted, so they stay available "
          + "for review; pause it, or complete it early by setting both reach-out dates in the past");
    }
  }

  public Map<String, Object> launch(Principal caller, String goalId) {
    Goal g = requireGoal(caller, goalId);
    Group group = requireGroup(caller.orgId(), g.groupId());
    if (g.launched()) {
      throw ApiException.conflict("already-launched", "The goal was launched at " + g.launchedAt());
    }
    Instant now = clock.instant();
    Violations v = new Violations();
    GoalRules.checkSaved(g, group.zone(), scriptCheck.forGoal(g, catalogFor(g, group)), v);
    GoalRules.checkLaunchable(g, true, now, v);
    checkTargetingGoals(caller.orgId(), g, v);
    if (!v.isEmpty()) {
      throw new ApiException(422, "goal-not-launchable", "The goal cannot be launched yet",
          v.list().size() + " field(s) must be fixed before launch; see errors", v.list());
    }
    Goal launched = g.toBuilder().launchedAt(now).updatedAt(now).version(g.version() + 1).build();
    goals.update(launched, g.version());
    afterChange(g, launched, "LAUNCH", now);
    return GoalView.of(launched, group, now);
  }

  public Map<String, Object> pause(Principal caller, String goalId) {
    Goal g = requireGoal(caller, goalId);
    Group group = requireGroup(caller.orgId(), g.groupId());
    Instant now = clock.instant();
    GoalStatus s = GoalSchedule.statusAt(g, now);
    if (s != GoalStatus.SCHEDULED && s != GoalStatus.ACTIVE) {
      throw ApiException.conflict("cannot-pause", "Only scheduled or active goals can be paused; this one is " + s);
    }
    Goal paused = g.toBuilder().pausedAt(now).updatedAt(now).version(g.version() + 1).build();
    goals.update(paused, g.version());
    afterChange(g, paused, "PAUSE", now);
    return GoalView.of(paused, group, now);
  }

  public Map<String, Object> resume(Principal caller, String goalId) {
    Goal g = requireGoal(caller, goalId);
    Group group = requireGroup(caller.orgId(), g.groupId());
    if (g.pausedAt() == null) {
      throw ApiException.conflict("not-paused", "The goal is not paused");
    }
    Instant now = clock.instant();
    Goal resumed = g.toBuilder().pausedAt(null).updatedAt(now).version(g.version() + 1).build();
    goals.update(resumed, g.version());
    afterChange(g, resumed, "RESUME", now);
    return GoalView.of(resumed, group, now);
  }

  /**
   * Copies the goal into the drafts of each destination group (the caller must manage each). Refused for
   * goals targeting goal results. Each copy reports the merge fields and targeted custom fields its
   * destination group does not have, so the admin knows what to edit before launch.
   */
  public Map<String, Object> duplicate(Principal caller, String goalId, JsonNode body) {
    Goal source = requireGoal(caller, goalId);
    Violations v = new Violations();
    Fields f = Fields.ofBody(body, v);
    f.allowOnly(Set.of("destinationGroupIds", "name"));
    List<String> destinations = f.strings("destinationGroupIds").orElse(List.of());
    if (destinations.isEmpty() && !f.has("destinationGroupIds")) {
      v.add("destinationGroupIds", "is required: the groups whose drafts receive a copy");
    } else if (destinations.isEmpty() || destinations.size() > 20) {
      v.add("destinationGroupIds", "must list 1 to 20 groups");
    }
    Optional<String> name = f.string("name").map(String::trim);
    if (name.isPresent() && (name.get().isEmpty() || name.get().length() > GoalChanges.NAME_MAX)) {
      v.add("name", "must be 1 to " + GoalChanges.NAME_MAX + " characters");
    }
    v.throwIfAny();
    if (source.targeting().usesGoalResults()) {
      throw new ApiException(409, "duplicate-not-allowed", "Goal cannot be duplicated",
          "Goals that target contacts by the results of other goals cannot be duplicated",
          List.of(new FieldError("targeting.goalResults", "targets goal results of " + source.targeting()
              .referencedGoalIds())));
    }
    Map<String, Group> targets = new LinkedHashMap<>();
    for (int i = 0; i < destinations.size(); i++) {
      String gid = destinations.get(i);
      if (!caller.canManage(gid)) {
        throw ApiException.forbidden("You do not manage destination group " + gid);
      }
      final int index = i;
      targets.put(gid, groups.get(caller.orgId(), gid).orElseThrow(() ->
          ApiException.invalid("destinationGroupIds[" + index + "]", "no group " + gid + " in your org")));
    }
    Instant now = clock.instant();
    List<Map<String, Object>> copies = new ArrayList<>();
    for (Group dest : targets.values()) {
      Goal copy = source.toBuilder().id(ids.next("goal")).groupId(dest.id()).name(name.orElse(source.name()))
          .scripts(freshIds(source.scripts())).launchedAt(null).pausedAt(null).wasActive(false)
          .duplicatedFrom(source.id()).createdAt(now).updatedAt(now).version(1).build();
      goals.create(copy);
      Violations problems = new Violations();
      GoalRules.checkSaved(copy, dest.zone(), scriptCheck.forGoal(copy, catalogFor(copy, dest)), problems);
      Set<String> destFields = contacts.fieldNames(caller.orgId(), dest.id());
      List<Targeting.FieldFilter> filters = copy.targeting().customFields();
      for (int i = 0; i < filters.size(); i++) {
        if (!destFields.contains(filters.get(i).field())) {
          problems.add("targeting.customFields[" + i + "].field", "no contact of " + dest.name()
              + " has the custom field '" + filters.get(i).field() + "'");
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("groupId", dest.id());
      entry.put("goal", GoalView.of(copy, dest, now));
      entry.put("problems", problems.list());
      copies.add(entry);
    }
    return Map.of("duplicates", copies);
  }

  /**
   * How many of the group's contacts the goal's targeting matches now, and how many of those are outside their
   * hours right now (the group's hours in the group's zone and every zone of the contact: {@code ContactZones})
   * with when each zone opens. Reads the whole group once (1 Query per 1,000 contacts) + 1 GetItem (group);
   * the zones are CPU only (a libphonenumber lookup per targeted contact, a few µs).
   */
  public Map<String, Object> estimate(Principal caller, String goalId) {
    Goal g = requireGoal(caller, goalId);
    Group group = requireGroup(caller.orgId(), g.groupId());
    Instant now = clock.instant();
    Map<String, Map<String, GoalResult>> results = new HashMap<>();
    for (String ref : g.targeting().referencedGoalIds()) {
      results.put(ref, goals.results(caller.orgId(), ref));
    }
    AtomicInteger matched = new AtomicInteger();
    AtomicInteger examined = new AtomicInteger();
    Map<String, Integer> byZone = new java.util.TreeMap<>();
    contacts.forEachInGroup(caller.orgId(), g.groupId(), c -> {
      examined.incrementAndGet();
      if (g.targeting().matches(c, results)) {
        matched.incrementAndGet();
        byZone.merge(ContactZones.keyOf(c), 1, Integer::sum);
      }
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("goalId", g.id());
    out.put("estimate", matched.get());
    out.put("contactsInGroup", examined.get());
    out.put("outsideHoursNow", outsideHours(group, byZone, now));
    out.put("asOf", now.toString());
    return out;
  }

  /** Of the targeted contacts per zone key, those whose hours do not hold now, per zone, with when it opens. */
  static Map<String, Object> outsideHours(Group group, Map<String, Integer> byZone, Instant now) {
    int outside = 0;
    Instant next = null;
    List<Map<String, Object>> zones = new ArrayList<>();
    for (var e : byZone.entrySet()) {
      List<java.time.ZoneId> all = new ArrayList<>(ContactZones.fromKey(e.getKey()));
      all.add(group.zone());
      if (group.hoursOfOperation().openInAll(all, now)) {
        continue;
      }
      Optional<Instant> opens = group.hoursOfOperation().nextOpening(all, now);
      outside += e.getValue();
      Map<String, Object> z = new LinkedHashMap<>();
      // Contacts with no known zone follow the group's.
      z.put("zone", e.getKey().isEmpty() ? group.timeZone() : e.getKey());
      z.put("contacts", e.getValue());
      z.put("opensAt", opens.map(Instant::toString).orElse(null));
      zones.add(z);
      if (opens.isPresent() && (next == null || opens.get().isBefore(next))) {
        next = opens.get();
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("contacts", outside);
    out.put("nextOpensAt", next == null ? null : next.toString());
    out.put("zones", zones);
    return out;
  }

  /**
   * After a launched goal's change is stored: re-index its clock transitions (dates or pause may have moved)
   * and tell subscribers when the computed status changed.
   */
  private void afterChange(Goal before, Goal after, String cause, Instant now) {
    transitions.schedule(after, now);
    GoalStatus from = GoalSchedule.statusAt(before, now);
    GoalStatus to = GoalSchedule.statusAt(after, now);
    if (from != to) {
      events.publish(TransitionService.statusEvent(after, from, to, cause, now));
    }
  }

  // ------------------------------------------------------------------ editing

  /**
   * Applies a create/PATCH to {@code current}. After launch, {@code type}, {@code targeting},
   * {@code remindersEnabled} and {@code assignmentStrategy} are locked (409 naming each field that would
   * change), and the result must still satisfy the launch rules (422 listing what breaks).
   */
  private Goal apply(Goal current, GoalChanges c, Group group, Instant now, boolean launched) {
    if (launched) {
      List<FieldError> locked = new ArrayList<>();
      c.type().filter(t -> t != current.type()).ifPresent(t -> locked.add(lockedField("type")));
      c.targeting().filter(t -> !t.equals(current.targeting())).ifPresent(t -> locked.add(lockedField("targeting")));
      c.remindersEnabled().filter(r -> r != current.remindersEnabled())
          .ifPresent(r -> locked.add(lockedField("remindersEnabled")));
      c.assignmentStrategy().filter(a -> a != current.assignmentStrategy())
          .ifPresent(a -> locked.add(lockedField("assignmentStrategy")));
      if (!locked.isEmpty()) {
        throw new ApiException(409, "field-locked", "Field locked after launch",
            "These fields cannot change once a goal is launched; duplicate the goal to change them", locked);
      }
    }
    Violations v = new Violations();
    GoalType type = c.type().orElse(current.type());
    Goal.Builder b = current.toBuilder().type(type).updatedAt(now).version(current.version() + 1);
    c.name().ifPresent(b::name);
    c.description().ifPresent(d -> b.description(d.orElse(null)));
    // The type's date: only the field of the goal's (new) type is accepted.
    Map<String, Optional<Optional<Instant>>> dateFields = Map.of("eventStartAt", c.eventStartAt(),
        "shiftStartAt", c.shiftStartAt(), "targetDate", c.targetDate());
    dateFields.forEach((field, value) -> {
      if (value.isEmpty()) {
        return;
      }
      if (type.dateField().filter(field::equals).isPresent()) {
        b.typeDate(value.get().orElse(null));
      } else if (value.get().isPresent()) {
        v.add(field, type.dateField().map(own -> "is not a date of " + type + " goals; use " + own)
            .orElse("CUSTOM goals have no type date"));
      }
    });
    if (type.dateField().isEmpty()) {
      b.typeDate(null);
    }
    c.assignmentStrategy().ifPresent(b::assignmentStrategy);
    c.agentInstructions().ifPresent(a -> b.agentInstructions(a.orElse(null)));
    c.targeting().ifPresent(b::targeting);
    c.scripts().ifPresent(s -> b.scripts(mergeScripts(current.scripts(), s, v)));
    c.workflowsAvailableAt().ifPresent(d -> b.workflowsAvailableAt(d.orElse(null)));
    c.workflowsCloseAt().ifPresent(d -> b.workflowsCloseAt(d.orElse(null)));
    c.remindersEnabled().ifPresent(b::remindersEnabled);
    c.remindersAvailableAt().ifPresent(d -> b.remindersAvailableAt(d.orElse(null)));
    c.remindersCloseAt().ifPresent(d -> b.remindersCloseAt(d.orElse(null)));
    boolean datesMoved = c.workflowsAvailableAt().isPresent() || c.workflowsCloseAt().isPresent();
    if (launched && datesMoved && GoalSchedule.hasBeenActive(current, now)) {
      b.wasActive(true);
    }
    Goal next = b.build();
    v.throwIfAny();
    GoalRules.checkSaved(next, group.zone(), scriptCheck.forGoal(next, catalogFor(next, group)), v);
    if (launched) {
      GoalRules.checkLaunchable(next, false, now, v);
    }
    if (c.targeting().isPresent()) {
      checkTargetingGoals(current.orgId(), next, v);
    }
    v.throwIfAny();
    return next;
  }

  private static FieldError lockedField(String field) {
    return new FieldError(field, "cannot change after launch");
  }

  private Scripts mergeScripts(Scripts current, GoalChanges.ScriptsInput in, Violations v) {
    return new Scripts(
        in.initial().map(l -> withIds("scripts.initial", current.initial(), l, v)).orElse(current.initial()),
        in.response().map(l -> withIds("scripts.response", current.response(), l, v)).orElse(current.response()),
        in.additionalResponse().map(l -> withIds("scripts.additionalResponse", current.additionalResponse(), l, v))
            .orElse(current.additionalResponse()),
        in.reminder().map(l -> withIds("scripts.reminder", current.reminder(), l, v)).orElse(current.reminder()));
  }

  /** An edited script keeps its id (agents and sent messages refer to it); a new one gets a new id. */
  private List<Script> withIds(String path, List<Script> existing, List<GoalChanges.ScriptInput> given, Violations v) {
    Set<String> known = new java.util.HashSet<>();
    existing.forEach(s -> known.add(s.id()));
    List<Script> out = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      GoalChanges.ScriptInput s = given.get(i);
      if (s.id().isPresent() && !known.contains(s.id().get())) {
        v.add(path + "[" + i + "].id", "no script " + s.id().get() + " of this kind in the goal; omit id for a new script");
        continue;
      }
      out.add(new Script(s.id().orElseGet(() -> ids.next("scr")), s.body()));
    }
    return out;
  }

  private Scripts freshIds(Scripts s) {
    return new Scripts(renumber(s.initial()), renumber(s.response()), renumber(s.additionalResponse()),
        renumber(s.reminder()));
  }

  private List<Script> renumber(List<Script> list) {
    return list.stream().map(s -> new Script(ids.next("scr"), s.body())).toList();
  }

  private void checkTargetingGoals(String orgId, Goal g, Violations v) {
    List<Targeting.ResultFilter> filters = g.targeting().goalResults();
    for (int i = 0; i < filters.size(); i++) {
      String ref = filters.get(i).goalId();
      String field = "targeting.goalResults[" + i + "].goalId";
      if (ref.equals(g.id())) {
        v.add(field, "a goal cannot target its own results");
        continue;
      }
      Optional<Goal> other = goals.get(orgId, ref);
      if (other.isEmpty() || !other.get().groupId().equals(g.groupId())) {
        v.add(field, "no goal " + ref + " in this group");
      }
    }
  }

  private MergeFieldCatalog catalogFor(Goal g, Group group) {
    return ScriptCheck.catalog(g.type(), contacts.fieldNames(group.orgId(), group.id()));
  }

  private Goal requireGoal(Principal caller, String goalId) {
    Goal g = goals.get(caller.orgId(), goalId).orElseThrow(() -> ApiException.notFound("Goal " + goalId));
    if (!caller.canManage(g.groupId())) {
      // Agents and other groups' managers learn nothing about the goal.
      throw ApiException.forbidden("Only the org's admins and the managers of the goal's group manage goals");
    }
    return g;
  }

  private Group requireGroup(String orgId, String groupId) {
    return groups.get(orgId, groupId).orElseThrow(() -> ApiException.notFound("Group " + groupId));
  }
}
