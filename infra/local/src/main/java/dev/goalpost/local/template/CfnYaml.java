package dev.goalpost.local.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM YAML file into plain maps and lists. The short-form intrinsic tags
 * ({@code !Ref X}, {@code !GetAtt X.Arn}, {@code !Sub ...}) become their long JSON forms ({@code {"Ref": "X"}},
 * {@code {"Fn::GetAtt": ["X", "Arn"]}}), so {@link Intrinsics} resolves one shape whichever the author wrote.
 */
public final class CfnYaml {
  private static final List<String> FUNCTIONS = List.of(
      "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
      "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString");

  private CfnYaml() {}

  public static Map<String, Object> read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(in);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(Reader in) {
    Object doc = new Yaml(new IntrinsicConstructor()).load(in);
    if (!(doc instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("A template must be a YAML mapping at its top level");
    }
    return (Map<String, Object>) map;
  }

  public static Map<String, Object> parse(String text) {
    return parse(new java.io.StringReader(text));
  }

  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new Short("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new Short("Condition"));
      for (String f : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + f), new Short("Fn::" + f));
      }
    }

    /** One short tag: wraps the node's plain value as {@code {key: value}}. */
    private final class Short extends AbstractConstruct {
      private final String key;

      Short(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Object value = switch (node) {
          case ScalarNode s -> key.equals("Fn::GetAtt") ? splitGetAtt(constructScalar(s)) : constructScalar(s);
          case SequenceNode s -> constructSequence(s);
          case MappingNode m -> constructMapping(m);
          default -> throw new IllegalArgumentException("Unsupported node for " + key + ": " + node);
        };
        return Map.of(key, value);
      }

      /** {@code !GetAtt Queue.Arn} is the short form of {@code ["Queue", "Arn"]} (split at the first dot). */
      private List<String> splitGetAtt(String s) {
        int dot = s.indexOf('.');
        if (dot < 0) {
          throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got " + s);
        }
        return List.of(s.substring(0, dot), s.substring(dot + 1));
      }
    }
  }
}
