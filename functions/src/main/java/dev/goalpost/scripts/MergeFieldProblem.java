package dev.goalpost.scripts;

/**
 * A merge field the script cannot use.
 *
 * @param position index of the offending '<' in the body
 * @param field the field's matching key, or "" when the problem is that there is no usable name
 * @param message what is wrong and what to write instead
 */
public record MergeFieldProblem(int position, String field, String message) {}
