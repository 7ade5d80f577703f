package dev.goalpost.scripts;

/** The kinds of script a goal (or an agent) keeps; each has its own rules in {@link ScriptRules}. */
public enum ScriptKind {
  INITIAL("initial scripts", true),
  REMINDER("reminder scripts", true),
  RESPONSE("response scripts", false),
  ADDITIONAL_RESPONSE("additional response scripts", false),
  AGENT("agent scripts", false);

  private final String label;
  private final boolean requiresOptOutLanguage;

  ScriptKind(String label, boolean requiresOptOutLanguage) {
    this.label = label;
    this.requiresOptOutLanguage = requiresOptOutLanguage;
  }

  /** How messages name this kind, e.g. "initial scripts". */
  public String label() {
    return label;
  }

  /** First contact and reminders reach people who may not want texts; replies happen inside a conversation. */
  public boolean requiresOptOutLanguage() {
    return requiresOptOutLanguage;
  }
}
