package dev.goalpost.scripts;

/**
 * One rule a script body breaks.
 *
 * @param rule a stable name for clients: {@value ScriptRules#REQUIRED}, {@value ScriptRules#MERGE_FIELDS},
 *     {@value ScriptRules#OPT_OUT_LANGUAGE}, {@value ScriptRules#MAX_SEGMENTS}, {@value ScriptRules#MAX_CHARACTERS}
 * @param message what is wrong, phrased to follow the field's name ("body is 512 characters; …")
 */
public record ScriptProblem(String rule, String message) {}
