package dev.goalpost.scripts;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A script body split into literal text and merge fields, with every merge-field problem found on the way.
 * A script with problems still has parts (problem markup is kept as literal text, unknown fields as fields), so
 * an editor can preview it while it shows the problems.
 */
public record ParsedScript(List<ScriptPart> parts, List<MergeFieldProblem> problems) {
  public ParsedScript {
    parts = List.copyOf(parts);
    problems = List.copyOf(problems);
  }

  public boolean isValid() {
    return problems.isEmpty();
  }

  /** Keys of the merge fields used, in order of first use. */
  public Set<String> fieldKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (ScriptPart part : parts) {
      if (part instanceof ScriptPart.Field f) {
        keys.add(f.key());
      }
    }
    return Collections.unmodifiableSet(keys);
  }

  /** The literal text only, each merge field replaced by a space: what the script says on its own. */
  public String literalText() {
    StringBuilder out = new StringBuilder();
    for (ScriptPart part : parts) {
      switch (part) {
        case ScriptPart.Literal l -> out.append(l.text());
        case ScriptPart.Field f -> out.append(' ');
      }
    }
    return out.toString();
  }
}
