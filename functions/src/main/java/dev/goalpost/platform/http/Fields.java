package dev.goalpost.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Typed, path-aware reads of one JSON object. A wrong type is recorded in {@link Violations} under the
 * field's full path ({@code contacts[2].tags}) and read as absent, so one pass reports every problem.
 * Absent means "not given" (PATCH leaves it alone); {@link #isExplicitNull} tells "clear it".
 */
public final class Fields {
  private final JsonNode node;
  private final String path;
  private final Violations violations;

  public Fields(JsonNode node, String path, Violations violations) {
    this.node = node;
    this.path = path;
    this.violations = violations;
  }

  /** The request body as an object; 400 when it is missing or not a JSON object. */
  public static Fields ofBody(JsonNode body, Violations violations) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("The request body must be a JSON object");
    }
    return new Fields(body, "", violations);
  }

  public String pathOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  public Violations violations() {
    return violations;
  }

  /** The raw node, for shapes Fields does not read itself (arrays of objects). */
  public JsonNode rawNode() {
    return node;
  }

  public boolean has(String name) {
    return node.has(name);
  }

  public boolean isExplicitNull(String name) {
    return node.has(name) && node.get(name).isNull();
  }

  /** Rejects fields the resource does not have, so a typo is not silently ignored. */
  public void allowOnly(Set<String> names) {
    node.fieldNames().forEachRemaining(n -> {
      if (!names.contains(n)) {
        violations.add(pathOf(n), "is not a known field (allowed: " + String.join(", ", names.stream().sorted().toList()) + ")");
      }
    });
  }

  public Optional<String> string(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      violations.add(pathOf(name), "must be a string");
      return Optional.empty();
    }
    return Optional.of(v.asText());
  }

  public Optional<String> requiredString(String name) {
    Optional<String> v = string(name);
    if (v.isEmpty() && !(node.has(name) && !node.get(name).isNull())) {
      violations.add(pathOf(name), "is required");
    } else if (v.isPresent() && v.get().isBlank()) {
      violations.add(pathOf(name), "must not be blank");
      return Optional.empty();
    }
    return v;
  }

  public Optional<Boolean> bool(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      violations.add(pathOf(name), "must be true or false");
      return Optional.empty();
    }
    return Optional.of(v.booleanValue());
  }

  public Optional<Integer> integer(String name, int min, int max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      violations.add(pathOf(name), "must be a whole number");
      return Optional.empty();
    }
    int i = v.intValue();
    if (i < min || i > max) {
      violations.add(pathOf(name), "must be between " + min + " and " + max);
      return Optional.empty();
    }
    return Optional.of(i);
  }

  public Optional<List<String>> strings(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      violations.add(pathOf(name), "must be an array of strings");
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isTextual()) {
        violations.add(pathOf(name) + "[" + i + "]", "must be a string");
      } else {
        out.add(e.asText());
      }
    }
    return Optional.of(out);
  }

  /** A flat object of string values (custom fields). */
  public Optional<Map<String, String>> stringMap(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      violations.add(pathOf(name), "must be an object of string values");
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> {
      JsonNode val = e.getValue();
      if (val.isNull()) {
        out.put(e.getKey(), null);
      } else if (val.isTextual() || val.isNumber() || val.isBoolean()) {
        out.put(e.getKey(), val.asText());
      } else {
        violations.add(pathOf(name) + "." + e.getKey(), "must be a string");
      }
    });
    return Optional.of(out);
  }

  public Optional<Fields> object(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      violations.add(pathOf(name), "must be an object");
      return Optional.empty();
    }
    return Optional.of(new Fields(v, pathOf(name), violations));
  }
}
