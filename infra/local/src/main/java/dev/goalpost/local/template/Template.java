package dev.goalpost.local.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of one or more SAM templates the local cloud uses. Several files merge in order (later
 * {@code Globals} keys deep-merge over earlier ones; a logical id may appear once), so tests can add their own
 * functions on top of the project's {@code template.yaml} while sharing its API and table.
 */
public record Template(
    Map<String, Object> parameters,
    Map<String, Object> conditions,
    Map<String, Object> mappings,
    Map<String, Object> globals,
    Map<String, Resource> resources) {

  public static Template load(List<Path> files) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Path f : files) {
      try {
        docs.add(CfnYaml.read(f));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read template " + f, e);
      }
    }
    return merge(docs);
  }

  public static Template parse(String yaml) {
    return merge(List.of(CfnYaml.parse(yaml)));
  }

  static Template merge(List<Map<String, Object>> docs) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    Map<String, Object> conditions = new LinkedHashMap<>();
    Map<String, Object> mappings = new LinkedHashMap<>();
    Map<String, Object> globals = new LinkedHashMap<>();
    Map<String, Resource> resources = new LinkedHashMap<>();
    for (Map<String, Object> doc : docs) {
      parameters.putAll(Yamls.map(doc.get("Parameters")));
      conditions.putAll(Yamls.map(doc.get("Conditions")));
      mappings.putAll(Yamls.map(doc.get("Mappings")));
      deepMerge(globals, Yamls.map(doc.get("Globals")));
      for (var e : Yamls.map(doc.get("Resources")).entrySet()) {
        Map<String, Object> body = Yamls.map(e.getValue());
        Object dependsOn = body.get("DependsOn");
        List<String> deps = dependsOn instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : dependsOn == null ? List.of() : List.of(String.valueOf(dependsOn));
        Resource r = new Resource(e.getKey(), String.valueOf(body.get("Type")), Yamls.map(body.get("Properties")), deps);
        if (resources.putIfAbsent(e.getKey(), r) != null) {
          throw new IllegalArgumentException("Logical id " + e.getKey() + " is declared in more than one template");
        }
      }
    }
    return new Template(parameters, conditions, mappings, globals, resources);
  }

  @SuppressWarnings("unchecked")
  private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
    for (var e : from.entrySet()) {
      Object existing = into.get(e.getKey());
      if (existing instanceof Map<?, ?> a && e.getValue() instanceof Map<?, ?> b) {
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) a);
        deepMerge(merged, (Map<String, Object>) b);
        into.put(e.getKey(), merged);
      } else {
        into.put(e.getKey(), e.getValue());
      }
    }
  }

  public List<Resource> ofType(String type) {
    return resources.values().stream().filter(r -> r.is(type)).toList();
  }

  /** {@code Globals.<section>.<key>}, e.g. {@code globalsOf("Function")}. */
  public Map<String, Object> globalsOf(String section) {
    return Yamls.map(globals.get(section));
  }
}
