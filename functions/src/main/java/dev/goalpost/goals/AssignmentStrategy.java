package dev.goalpost.goals;

/** ANYONE: unassigned contacts, first come first served. ASSIGNED: only each contact's assigned agent. */
public enum AssignmentStrategy {
  ANYONE, ASSIGNED
}
