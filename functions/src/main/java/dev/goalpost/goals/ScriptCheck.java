package dev.goalpost.goals;

import dev.goalpost.scripts.MergeFieldCatalog;
import dev.goalpost.scripts.ScriptProblem;
import dev.goalpost.scripts.ScriptRules;
import java.util.Set;

/** Binds the script rules to a goal: its type's date fields and its group's custom fields. */
final class ScriptCheck {

  /** Built-ins, the type's {@code <… date>} / {@code <… time>} fields, and the group's custom fields. */
  static MergeFieldCatalog catalog(GoalType type, Set<String> customFields) {
    MergeFieldCatalog c = MergeFieldCatalog.builtIns();
    for (String f : type.dateMergeFields()) {
      c = f.endsWith(" time") ? c.withTimeField(f) : c.withDateField(f);
    }
    return c.withCustomFields(customFields);
  }

  GoalRules.ScriptChecker forGoal(Goal goal, MergeFieldCatalog catalog) {
    return (kind, body) -> ScriptRules.validate(kind, body, catalog).stream().map(ScriptProblem::message).toList();
  }
}
