package dev.goalpost.platform.http;

import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a request so the answer lists all of them at once, not the first only. */
public final class Violations {
  private final List<FieldError> errors = new ArrayList<>();

  public void add(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** Whether some error is already about {@code field} or one of its parts ({@code field[0]}, {@code field.x}). */
  public boolean mentions(String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field) || e.field().startsWith(field + "[")
        || e.field().startsWith(field + "."));
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public List<FieldError> list() {
    return List.copyOf(errors);
  }

  /** Throws a 422 naming every collected field, if there is any. */
  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }
}
