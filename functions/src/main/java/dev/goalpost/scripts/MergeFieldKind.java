package dev.goalpost.scripts;

import static dev.goalpost.scripts.ScriptLimits.WORST_CASE_AGENT_NAME_CHARS;
import static dev.goalpost.scripts.ScriptLimits.WORST_CASE_CUSTOM_FIELD_CHARS;
import static dev.goalpost.scripts.ScriptLimits.WORST_CASE_DATE;
import static dev.goalpost.scripts.ScriptLimits.WORST_CASE_GROUP_NAME_CHARS;
import static dev.goalpost.scripts.ScriptLimits.WORST_CASE_NAME_CHARS;
import static dev.goalpost.scripts.ScriptLimits.WORST_CASE_TIME;

/** What a merge field stands for; it decides the field's worst-case stand-in. */
public enum MergeFieldKind {
  CONTACT_NAME(filler(WORST_CASE_NAME_CHARS)),
  AGENT_NAME(filler(WORST_CASE_AGENT_NAME_CHARS)),
  GROUP_NAME(filler(WORST_CASE_GROUP_NAME_CHARS)),
  DATE(WORST_CASE_DATE),
  TIME(WORST_CASE_TIME),
  CUSTOM(filler(WORST_CASE_CUSTOM_FIELD_CHARS));

  private final String standIn;

  MergeFieldKind(String standIn) {
    this.standIn = standIn;
  }

  /** The text assumed for this field when validating a script: one GSM-7 septet per character. */
  public String standIn() {
    return standIn;
  }

  private static String filler(int length) {
    return "X" + "x".repeat(length - 1);
  }
}
