package dev.goalpost.goals;

/**
 * What happened with one contact in one goal — usable as targeting by later goals of the group. Written by
 * the workflows (messaged / skipped / lead actions) and the inbound pipeline (responded / opted out).
 */
public record GoalResult(boolean messaged, boolean skipped, boolean responded, boolean yes, boolean no,
                         boolean optedOut) {
  public static final GoalResult NONE = new GoalResult(false, false, false, false, false, false);
}
