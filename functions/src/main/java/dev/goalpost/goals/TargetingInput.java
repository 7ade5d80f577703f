package dev.goalpost.goals;

import dev.goalpost.contacts.ContactChanges;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads a goal's {@code targeting} object, naming every wrong field (e.g. {@code targeting.customFields[1].op}). */
final class TargetingInput {
  static final int MAX_FILTERS = 20;

  private TargetingInput() {}

  static Targeting parse(Fields t) {
    Violations v = t.violations();
    t.allowOnly(Set.of("tags", "customFields", "goalResults"));
    Targeting.Tags tags = t.object("tags").map(tf -> {
      tf.allowOnly(Set.of("hasAll", "hasAny", "hasNone"));
      return new Targeting.Tags(tf.strings("hasAll").orElse(List.of()), tf.strings("hasAny").orElse(List.of()),
          tf.strings("hasNone").orElse(List.of()));
    }).orElse(Targeting.Tags.NONE);

    List<Targeting.FieldFilter> fields = new ArrayList<>();
    List<Targeting.ResultFilter> results = new ArrayList<>();
    forEachObject(t, "customFields", (f, path) -> {
      f.allowOnly(Set.of("field", "op", "values"));
      Optional<String> field = f.requiredString("field").map(ContactChanges::fieldName);
      Optional<Targeting.FieldOp> op = f.requiredString("op").flatMap(o -> enumOf(Targeting.FieldOp.class, o,
          f.pathOf("op"), v, "IS_ANY_OF, IS_NOT_ANY_OF, HAS_ANY_VALUE, IS_BLANK"));
      List<String> values = f.strings("values").orElse(List.of());
      if (op.isPresent() && (op.get() == Targeting.FieldOp.IS_ANY_OF || op.get() == Targeting.FieldOp.IS_NOT_ANY_OF)
          && values.isEmpty()) {
        v.add(f.pathOf("values"), "needs at least one value for " + op.get());
      }
      if (field.isPresent() && op.isPresent()) {
        fields.add(new Targeting.FieldFilter(field.get(), op.get(), values));
      }
    });
    forEachObject(t, "goalResults", (f, path) -> {
      f.allowOnly(Set.of("goalId", "result"));
      Optional<String> goalId = f.requiredString("goalId");
      Optional<Targeting.ResultCondition> result = f.requiredString("result").flatMap(r ->
          enumOf(Targeting.ResultCondition.class, r, f.pathOf("result"), v,
              "YES, NO, NO_RESULT, MESSAGED, NOT_MESSAGED, RESPONDED, DID_NOT_RESPOND, SKIPPED"));
      if (goalId.isPresent() && result.isPresent()) {
        results.add(new Targeting.ResultFilter(goalId.get(), result.get()));
      }
    });
    return new Targeting(tags, fields, results);
  }

  private interface ObjectVisitor {
    void visit(Fields f, String path);
  }

  private static void forEachObject(Fields parent, String name, ObjectVisitor visitor) {
    if (!parent.has(name) || parent.isExplicitNull(name)) {
      return;
    }
    var node = parent.rawNode().get(name);
    String path = parent.pathOf(name);
    if (!node.isArray()) {
      parent.violations().add(path, "must be an array");
      return;
    }
    if (node.size() > MAX_FILTERS) {
      parent.violations().add(path, "may hold at most " + MAX_FILTERS + " filters");
      return;
    }
    for (int i = 0; i < node.size(); i++) {
      String p = path + "[" + i + "]";
      if (!node.get(i).isObject()) {
        parent.violations().add(p, "must be an object");
        continue;
      }
      visitor.visit(new Fields(node.get(i), p, parent.violations()), p);
    }
  }

  private static <E extends Enum<E>> Optional<E> enumOf(Class<E> type, String raw, String path, Violations v,
                                                        String allowed) {
    try {
      return Optional.of(Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      v.add(path, "'" + raw + "' is not one of " + allowed);
      return Optional.empty();
    }
  }
}
