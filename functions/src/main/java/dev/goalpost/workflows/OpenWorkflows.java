package dev.goalpost.workflows;

import dev.goalpost.goals.AssignmentStrategy;
import dev.goalpost.goals.GoalSchedule;

/**
 * Which workflows an agent may work now: the goal's row of the SPEC §2 table (status and reminder window),
 * narrowed by the group's hours of operation and, for initial and reminder texts, its 10DLC daily cap; and
 * whose work it is — the shared pool (ANYONE) or the agent's own (ASSIGNED).
 */
public record OpenWorkflows(boolean initial, boolean reminders, boolean unread, String pool) {

  public static OpenWorkflows of(GoalSchedule.Workflows w, AssignmentStrategy strategy, String agentId,
                                 boolean hoursOpen, boolean capReached) {
    String pool = strategy == AssignmentStrategy.ANYONE ? "ANY" : agentId;
    return new OpenWorkflows(w.initial() && hoursOpen && !capReached, w.reminders() && hoursOpen && !capReached,
        w.unread() && hoursOpen, pool);
  }
}
