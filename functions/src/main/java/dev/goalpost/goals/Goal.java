package dev.goalpost.goals;

import java.time.Instant;

/**
 * An outbound campaign in a group, as stored. Its status is not a field: {@link GoalSchedule} computes it
 * from these instants and the clock, so it is right at the very millisecond a date passes.
 *
 * @param typeDate      the date of the goal's type ({@code eventStartAt}, {@code shiftStartAt} or
 *                      {@code targetDate} on the wire); null for CUSTOM or when not set yet
 * @param launchedAt    null while a draft
 * @param pausedAt      non-null while an admin has it paused
 * @param wasActive     set when the reach-out dates are moved after the goal had been active, so unread work
 *                      stays open while it is scheduled again (SPEC §2)
 */
public record Goal(
    String id,
    String orgId,
    String groupId,
    GoalType type,
    String name,
    String description,
    Instant typeDate,
    AssignmentStrategy assignmentStrategy,
    String agentInstructions,
    Targeting targeting,
    Scripts scripts,
    Instant workflowsAvailableAt,
    Instant workflowsCloseAt,
    boolean remindersEnabled,
    Instant remindersAvailableAt,
    Instant remindersCloseAt,
    Instant launchedAt,
    Instant pausedAt,
    boolean wasActive,
    String duplicatedFrom,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  public boolean launched() {
    return launchedAt != null;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copy-with for the many optional edits of a PATCH. */
  public static final class Builder {
    String id, orgId, groupId, name, description, agentInstructions, duplicatedFrom;
    GoalType type;
    Instant typeDate, workflowsAvailableAt, workflowsCloseAt, remindersAvailableAt, remindersCloseAt,
        launchedAt, pausedAt, createdAt, updatedAt;
    AssignmentStrategy assignmentStrategy;
    Targeting targeting;
    Scripts scripts;
    boolean remindersEnabled, wasActive;
    long version;

    Builder(Goal g) {
      id = g.id; orgId = g.orgId; groupId = g.groupId; type = g.type; name = g.name;
      description = g.description; typeDate = g.typeDate; assignmentStrategy = g.assignmentStrategy;
      agentInstructions = g.agentInstructions; targeting = g.targeting; scripts = g.scripts;
      workflowsAvailableAt = g.workflowsAvailableAt; workflowsCloseAt = g.workflowsCloseAt;
      remindersEnabled = g.remindersEnabled; remindersAvailableAt = g.remindersAvailableAt;
      remindersCloseAt = g.remindersCloseAt; launchedAt = g.launchedAt; pausedAt = g.pausedAt;
      wasActive = g.wasActive; duplicatedFrom = g.duplicatedFrom; createdAt = g.createdAt;
      updatedAt = g.updatedAt; version = g.version;
    }

    public Builder id(String v) { id = v; return this; }
    public Builder groupId(String v) { groupId = v; return this; }
    public Builder type(GoalType v) { type = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder description(String v) { description = v; return this; }
    public Builder typeDate(Instant v) { typeDate = v; return this; }
    public Builder assignmentStrategy(AssignmentStrategy v) { assignmentStrategy = v; return this; }
    public Builder agentInstructions(String v) { agentInstructions = v; return this; }
    public Builder targeting(Targeting v) { targeting = v; return this; }
    public Builder scripts(Scripts v) { scripts = v; return this; }
    public Builder workflowsAvailableAt(Instant v) { workflowsAvailableAt = v; return this; }
    public Builder workflowsCloseAt(Instant v) { workflowsCloseAt = v; return this; }
    public Builder remindersEnabled(boolean v) { remindersEnabled = v; return this; }
    public Builder remindersAvailableAt(Instant v) { remindersAvailableAt = v; return this; }
    public Builder remindersCloseAt(Instant v) { remindersCloseAt = v; return this; }
    public Builder launchedAt(Instant v) { launchedAt = v; return this; }
    public Builder pausedAt(Instant v) { pausedAt = v; return this; }
    public Builder wasActive(boolean v) { wasActive = v; return this; }
    public Builder duplicatedFrom(String v) { duplicatedFrom = v; return this; }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder updatedAt(Instant v) { updatedAt = v; return this; }
    public Builder version(long v) { version = v; return this; }

    public Goal build() {
      return new Goal(id, orgId, groupId, type, name, description, typeDate, assignmentStrategy,
          agentInstructions, targeting, scripts, workflowsAvailableAt, workflowsCloseAt, remindersEnabled,
          remindersAvailableAt, remindersCloseAt, launchedAt, pausedAt, wasActive, duplicatedFrom, createdAt,
          updatedAt, version);
    }
  }
}
