package dev.goalpost.scripts;

import java.util.Optional;

/** One piece of a parsed script: text sent as is, or a merge field filled per contact. */
public sealed interface ScriptPart permits ScriptPart.Literal, ScriptPart.Field {

  /** Text sent as written ({@code <<} already turned into {@code <}). */
  record Literal(String text) implements ScriptPart {}

  /**
   * A merge field.
   *
   * @param key the field's {@linkplain MergeFieldCatalog#key matching key}, e.g. "first name"
   * @param fallback what to send when the contact has no value (trimmed; empty when none or blank)
   * @param position index of the field's '<' in the body
   * @param written the field exactly as written, brackets included, for messages
   */
  record Field(String key, Optional<String> fallback, int position, String written) implements ScriptPart {}
}
