package dev.goalpost.workflows;

import java.util.Locale;
import java.util.Optional;

/** What an agent works on (SPEC §5). The code is the one-letter tag used inside batch ids and keys. */
public enum WorkflowKind {
  INITIAL("I"), REMINDERS("R"), UNREAD("U");

  private final String code;

  WorkflowKind(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<WorkflowKind> parse(String raw) {
    for (WorkflowKind k : values()) {
      if (k.name().equalsIgnoreCase(raw.trim()) || k.code.equals(raw)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  public static WorkflowKind ofCode(String code) {
    return parse(code).orElseThrow(() -> new IllegalArgumentException("No workflow " + code));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
