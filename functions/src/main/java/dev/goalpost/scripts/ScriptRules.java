package dev.goalpost.scripts;

import static dev.goalpost.scripts.ScriptLimits.INITIAL_MAX_SEGMENTS;
import static dev.goalpost.scripts.ScriptLimits.REMINDER_MAX_CHARS;
import static dev.goalpost.scripts.ScriptLimits.RESPONSE_MAX_SEGMENTS;
import static dev.goalpost.scripts.ScriptLimits.SCRIPT_BODY_MAX_CHARS;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Validates a script body when it is saved (SPEC §3). Every broken rule is reported at once, so an editor can
 * show them all. Segment limits are checked on the worst case ({@link MergeFields#worstCase}); character limits
 * on the body as written, in code points.
 */
public final class ScriptRules {
  public static final String REQUIRED = "required";
  public static final String MERGE_FIELDS = "mergeFields";
  public static final String OPT_OUT_LANGUAGE = "optOutLanguage";
  public static final String MAX_SEGMENTS = "maxSegments";
  public static final String MAX_CHARACTERS = "maxCharacters";

  private ScriptRules() {}

  public static List<ScriptProblem> validate(ScriptKind kind, String body, MergeFieldCatalog catalog) {
    if (body == null || body.isBlank()) {
      return List.of(new ScriptProblem(REQUIRED, "is empty; write the message contacts will receive"));
    }
    List<ScriptProblem> problems = new ArrayList<>();
    int chars = body.codePointCount(0, body.length());
    if (chars > SCRIPT_BODY_MAX_CHARS) {
      problems.add(new ScriptProblem(MAX_CHARACTERS,
          "is " + chars + " characters; scripts may be at most " + SCRIPT_BODY_MAX_CHARS));
    }
    ParsedScript parsed = MergeFields.parse(body, catalog);
    parsed.problems().forEach(p -> problems.add(new ScriptProblem(MERGE_FIELDS, p.message())));
    // Only the script's own words count: a custom field named <unsubscribe link> says nothing to the contact.
    if (kind.requiresOptOutLanguage() && !OptOutLanguage.contains(parsed.literalText())) {
      problems.add(new ScriptProblem(OPT_OUT_LANGUAGE, "needs opt-out language such as 'Reply STOP to opt out'; "
          + kind.label() + " must tell contacts how to stop receiving texts"));
    }
    switch (kind) {
      case INITIAL -> maxSegments(kind, parsed, catalog, INITIAL_MAX_SEGMENTS, problems);
      case REMINDER -> {
        if (chars > REMINDER_MAX_CHARS && chars <= SCRIPT_BODY_MAX_CHARS) {
          problems.add(new ScriptProblem(MAX_CHARACTERS,
              "is " + chars + " characters; " + kind.label() + " may be at most " + REMINDER_MAX_CHARS));
        }
      }
      case RESPONSE, ADDITIONAL_RESPONSE, AGENT -> maxSegments(kind, parsed, catalog, RESPONSE_MAX_SEGMENTS, problems);
    }
    return List.copyOf(problems);
  }

  private static void maxSegments(ScriptKind kind, ParsedScript parsed, MergeFieldCatalog catalog, int max,
      List<ScriptProblem> problems) {
    SegmentCount worst = MergeFields.worstCaseCount(parsed, catalog);
    if (worst.segments() <= max) {
      return;
    }
    String why = switch (worst.encoding()) {
      case GSM7 -> " (" + worst.units() + " GSM-7 septets)";
      case UCS2 -> " (" + worst.units() + " UCS-2 characters, 67 per segment, because of "
          + Gsm7.offending(MergeFields.worstCase(parsed, catalog)).stream().limit(10)
              .map(c -> "'" + c + "'").collect(Collectors.joining(" ")) + ")";
    };
    problems.add(new ScriptProblem(MAX_SEGMENTS, "is " + worst.segments() + " segments at worst case" + why
        + "; " + kind.label() + " may be at most " + max));
  }
}
