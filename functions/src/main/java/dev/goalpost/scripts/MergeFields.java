package dev.goalpost.scripts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Merge fields in script bodies: {@code <first name>}, {@code <First Name|friend>}, {@code <county>}.
 *
 * <p>Syntax, read left to right:
 * <ul>
 *   <li>{@code <<} is a literal '<'. Every other '<' opens a merge field, because a typo such as
 *       {@code <first name} must not reach thousands of contacts as raw markup.</li>
 *   <li>A field runs to the next '>'. If a '<', a line break or the end of the body comes first, the field is
 *       unclosed: a problem, and the '<' is kept as literal text.</li>
 *   <li>Inside, everything before the first '|' is the name (case and spacing do not matter), everything after
 *       it is the fallback (trimmed). A field with no name ({@code <>}, {@code < |x>}) is a problem.</li>
 *   <li>'>' needs no escaping outside a field.</li>
 * </ul>
 */
public final class MergeFields {
  private MergeFields() {}

  /** Parses syntax only; any field name is accepted (for rendering scripts validated earlier). */
  public static ParsedScript parse(String body) {
    return parse(body, null);
  }

  /** Parses and also reports fields {@code catalog} does not know. */
  public static ParsedScript parse(String body, MergeFieldCatalog catalog) {
    Objects.requireNonNull(body, "body");
    List<ScriptPart> parts = new ArrayList<>();
    List<MergeFieldProblem> problems = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c != '<') {
        literal.append(c);
        i++;
        continue;
      }
      if (i + 1 < body.length() && body.charAt(i + 1) == '<') {
        literal.append('<');
        i += 2;
        continue;
      }
      int close = closingBracket(body, i);
      if (close < 0) {
        problems.add(new MergeFieldProblem(i, "", "unclosed merge field at position " + i
            + "; close it with '>' on the same line, like <first name>, or write << for a literal <"));
        literal.append('<');
        i++;
        continue;
      }
      String inner = body.substring(i + 1, close);
      String written = body.substring(i, close + 1);
      int bar = inner.indexOf('|');
      String key = MergeFieldCatalog.key(bar < 0 ? inner : inner.substring(0, bar));
      if (key.isEmpty()) {
        problems.add(new MergeFieldProblem(i, "", "empty merge field " + written + " at position " + i
            + "; name a field, like <first name>, or write << for a literal <"));
        literal.append(written);
        i = close + 1;
        continue;
      }
      Optional<String> fallback = bar < 0
          ? Optional.empty()
          : Optional.of(inner.substring(bar + 1).strip()).filter(f -> !f.isEmpty());
      if (catalog != null && !catalog.knows(key)) {
        problems.add(new MergeFieldProblem(i, key, "unknown merge field " + written + " at position " + i
            + "; known fields: " + catalog.keys().stream().map(k -> "<" + k + ">").collect(Collectors.joining(", "))));
      }
      flush(literal, parts);
      parts.add(new ScriptPart.Field(key, fallback, i, written));
      i = close + 1;
    }
    flush(literal, parts);
    return new ParsedScript(parts, problems);
  }

  /** Index of the '>' closing the field opened at {@code open}, or -1 when '<', a line break or the end comes first. */
  private static int closingBracket(String body, int open) {
    for (int j = open + 1; j < body.length(); j++) {
      char c = body.charAt(j);
      if (c == '>') {
        return j;
      }
      if (c == '<' || c == '\n' || c == '\r') {
        return -1;
      }
    }
    return -1;
  }

  private static void flush(StringBuilder literal, List<ScriptPart> parts) {
    if (!literal.isEmpty()) {
      parts.add(new ScriptPart.Literal(literal.toString()));
      literal.setLength(0);
    }
  }

  /**
   * The text a contact receives. {@code values} is asked with each field's {@linkplain MergeFieldCatalog#key key};
   * a value is stripped, and a missing or blank one gives way to the fallback, else to nothing.
   *
   * <p>A field that renders to nothing takes one following space with it when the text before it is empty or ends
   * in whitespace, so "Hi <first name> <last name>, hello" never sends a double space or a line starting with one.
   * Punctuation is left alone: "Hi <first name>," becomes "Hi ," — the fallback is the tool for that.
   */
  public static String render(ParsedScript script, Function<String, Optional<String>> values) {
    StringBuilder out = new StringBuilder();
    boolean dropOneSpace = false;
    for (ScriptPart part : script.parts()) {
      switch (part) {
        case ScriptPart.Literal l -> {
          String text = l.text();
          out.append(dropOneSpace && text.startsWith(" ") ? text.substring(1) : text);
          dropOneSpace = false;
        }
        case ScriptPart.Field f -> {
          String value = values.apply(f.key()).map(String::strip).filter(v -> !v.isEmpty())
              .or(f::fallback).orElse("");
          out.append(value);
          if (value.isEmpty()) {
            dropOneSpace = dropOneSpace || out.isEmpty() || Character.isWhitespace(out.charAt(out.length() - 1));
          } else {
            dropOneSpace = false;
          }
        }
      }
    }
    return out.toString();
  }

  /**
   * The text used to validate a script before any contact exists: each field replaced by a stand-in at least as
   * costly as anything it may render to. That is the field kind's {@linkplain MergeFieldKind#standIn stand-in},
   * or the fallback when the fallback costs more; a fallback that forces UCS-2 is padded to the stand-in's length
   * so the worst case is both UCS-2 and as long as a real value. Fields the catalog does not know count as custom.
   */
  public static String worstCase(ParsedScript script, MergeFieldCatalog catalog) {
    StringBuilder out = new StringBuilder();
    for (ScriptPart part : script.parts()) {
      switch (part) {
        case ScriptPart.Literal l -> out.append(l.text());
        case ScriptPart.Field f -> out.append(standIn(f, catalog.kindOf(f.key()).orElse(MergeFieldKind.CUSTOM)));
      }
    }
    return out.toString();
  }

  /** Segments of the {@linkplain #worstCase worst case}. */
  public static SegmentCount worstCaseCount(ParsedScript script, MergeFieldCatalog catalog) {
    return Segments.count(worstCase(script, catalog));
  }

  private static String standIn(ScriptPart.Field field, MergeFieldKind kind) {
    String standIn = kind.standIn();
    if (field.fallback().isEmpty()) {
      return standIn;
    }
    String fallback = field.fallback().get();
    if (Gsm7.offending(fallback).isEmpty()) {
      return Segments.count(fallback).units() > standIn.length() ? fallback : standIn;
    }
    return fallback.length() >= standIn.length() ? fallback : fallback + "x".repeat(standIn.length() - fallback.length());
  }
}
