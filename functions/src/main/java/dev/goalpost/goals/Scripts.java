package dev.goalpost.goals;

import java.util.List;

/** A goal's scripts by kind. Agent-created scripts live with the agent, not here. */
public record Scripts(List<Script> initial, List<Script> response, List<Script> additionalResponse,
                      List<Script> reminder) {
  public static final Scripts EMPTY = new Scripts(List.of(), List.of(), List.of(), List.of());

  public Scripts {
    initial = List.copyOf(initial);
    response = List.copyOf(response);
    additionalResponse = List.copyOf(additionalResponse);
    reminder = List.copyOf(reminder);
  }
}
