package dev.goalpost.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Orders resources so each comes after those it references (a queue after its DLQ, a rule after its bus). */
public final class Dependencies {
  private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([^!}][^}.]*)");

  private Dependencies() {}

  /** {@code resources} in creation order; references to ids outside the list are ignored. */
  public static List<Resource> order(List<Resource> resources) {
    Map<String, Resource> byId = new LinkedHashMap<>();
    resources.forEach(r -> byId.put(r.logicalId(), r));
    List<Resource> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    for (Resource r : resources) {
      visit(r, byId, done, new LinkedHashSet<>(), ordered);
    }
    return ordered;
  }

  private static void visit(Resource r, Map<String, Resource> byId, Set<String> done, Set<String> path, List<Resource> out) {
    if (done.contains(r.logicalId())) {
      return;
    }
    if (!path.add(r.logicalId())) {
      throw new IllegalArgumentException("Circular reference between resources: " + path);
    }
    Set<String> deps = new LinkedHashSet<>(r.dependsOn());
    collect(r.properties(), deps);
    for (String d : deps) {
      Resource dep = byId.get(d);
      if (dep != null && !d.equals(r.logicalId())) {
        visit(dep, byId, done, path, out);
      }
    }
    path.remove(r.logicalId());
    done.add(r.logicalId());
    out.add(r);
  }

  /** Every logical id {@code value} mentions through Ref, GetAtt or a Sub variable. */
  public static void collect(Object value, Set<String> into) {
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        switch (String.valueOf(k)) {
          case "Ref" -> into.add(String.valueOf(v));
          case "Fn::GetAtt" -> {
            if (v instanceof List<?> l && !l.isEmpty()) {
              into.add(String.valueOf(l.getFirst()));
            } else if (v instanceof String s) {
              into.add(s.split("\\.", 2)[0]);
            }
          }
          case "Fn::Sub" -> {
            Object text = v instanceof List<?> l && !l.isEmpty() ? l.getFirst() : v;
            Matcher matcher = SUB_VAR.matcher(String.valueOf(text));
            while (matcher.find()) {
              into.add(matcher.group(1).trim());
            }
            if (v instanceof List<?> l && l.size() > 1) {
              collect(l.get(1), into);
            }
          }
          default -> collect(v, into);
        }
      });
    } else if (value instanceof List<?> l) {
      l.forEach(v -> collect(v, into));
    }
  }
}
