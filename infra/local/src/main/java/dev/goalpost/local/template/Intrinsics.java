package dev.goalpost.local.template;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions in a template value to plain strings, numbers, lists and maps.
 *
 * <p>{@code Ref} of a provisioned resource gives what CloudFormation gives (table/bus name, queue URL), of a
 * parameter its {@code Default}, of a pseudo parameter the local stack's value. Resources that have no local
 * counterpart (Cognito, log groups, …) resolve leniently to a prefixed name or a synthetic ARN, because only
 * the functions' configuration needs real values and it never points at those.
 */
public final class Intrinsics {
  /** {@code AWS::NoValue}: removes the enclosing key or list element, as in CloudFormation. */
  private static final Object NO_VALUE = new Object();
  private static final Pattern SUB_VAR = Pattern.compile("\\$\\{(!?)([^}]*)}");

  private final Template template;
  private final Stack stack;
  private final ResourceRefs refs;
  private final Map<String, String> parameterOverrides;

  public Intrinsics(Template template, Stack stack, ResourceRefs refs, Map<String, String> parameterOverrides) {
    this.template = template;
    this.stack = stack;
    this.refs = refs;
    this.parameterOverrides = Map.copyOf(parameterOverrides);
  }

  public Object resolve(Object value) {
    Object r = eval(value);
    return r == NO_VALUE ? null : r;
  }

  public String resolveString(Object value) {
    Object r = resolve(value);
    return r == null ? null : stringOf(r);
  }

  /** Resolves each value of a flat map (e.g. {@code Environment.Variables}) to a string. */
  public Map<String, String> resolveStrings(Map<String, Object> values) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      String s = resolveString(v);
      if (s != null) {
        out.put(k, s);
      }
    });
    return out;
  }

  public boolean condition(String name) {
    Object def = template.conditions().get(name);
    if (def == null) {
      throw new IllegalArgumentException("Unknown condition " + name);
    }
    return truthy(eval(def));
  }

  private Object eval(Object value) {
    if (value instanceof Map<?, ?> m) {
      if (m.size() == 1) {
        String key = String.valueOf(m.keySet().iterator().next());
        Object arg = m.values().iterator().next();
        if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
          return function(key, arg);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> {
        Object r = eval(v);
        if (r != NO_VALUE) {
          out.put(String.valueOf(k), r);
        }
      });
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object v : l) {
        Object r = eval(v);
        if (r != NO_VALUE) {
          out.add(r);
        }
      }
      return out;
    }
    return value;
  }

  private Object function(String name, Object arg) {
    return switch (name) {
      case "Ref" -> ref(String.valueOf(arg));
      case "Condition" -> condition(String.valueOf(arg));
      case "Fn::GetAtt" -> getAtt(arg);
      case "Fn::Sub" -> sub(arg);
      case "Fn::Join" -> {
        List<Object> a = args(arg, 2, name);
        yield String.join(stringOf(eval(a.get(0))),
            Yamls.list(eval(a.get(1))).stream().map(Intrinsics::stringOf).toList());
      }
      case "Fn::Select" -> {
        List<Object> a = args(arg, 2, name);
        yield Yamls.list(eval(a.get(1))).get(Integer.parseInt(stringOf(eval(a.get(0)))));
      }
      case "Fn::Split" -> {
        List<Object> a = args(arg, 2, name);
        yield List.of(stringOf(eval(a.get(1))).split(Pattern.quote(stringOf(eval(a.get(0)))), -1));
      }
      case "Fn::If" -> {
        List<Object> a = args(arg, 3, name);
        yield condition(stringOf(a.get(0))) ? eval(a.get(1)) : eval(a.get(2));
      }
      case "Fn::Equals" -> {
        List<Object> a = args(arg, 2, name);
        yield stringOf(eval(a.get(0))).equals(stringOf(eval(a.get(1))));
      }
      case "Fn::Not" -> !truthy(eval(args(arg, 1, name).get(0)));
      case "Fn::And" -> Yamls.list(arg).stream().allMatch(c -> truthy(eval(c)));
      case "Fn::Or" -> Yamls.list(arg).stream().anyMatch(c -> truthy(eval(c)));
      case "Fn::FindInMap" -> {
        List<Object> a = args(arg, 3, name);
        yield Yamls.at(template.mappings(), stringOf(eval(a.get(0))), stringOf(eval(a.get(1))), stringOf(eval(a.get(2))));
      }
      case "Fn::Base64" -> Base64.getEncoder().encodeToString(stringOf(eval(arg)).getBytes());
      case "Fn::GetAZs" -> List.of(stack.region() + "a", stack.region() + "b", stack.region() + "c");
      case "Fn::Length" -> Yamls.list(eval(arg)).size();
      // No other stack exports exist locally: keep the export name so the value is at least recognisable.
      case "Fn::ImportValue" -> stack.physicalName(stringOf(eval(arg)));
      default -> stack.physicalName(name.replace("Fn::", "").toLowerCase());
    };
  }

  private Object ref(String name) {
    return switch (name) {
      case "AWS::Region" -> stack.region();
      case "AWS::AccountId" -> stack.accountId();
      case "AWS::StackName" -> stack.stackName();
      case "AWS::StackId" -> stack.arn("cloudformation", "stack/" + stack.stackName() + "/local");
      case "AWS::Partition" -> "aws";
      case "AWS::URLSuffix" -> "amazonaws.com";
      case "AWS::NotificationARNs" -> List.of();
      case "AWS::NoValue" -> NO_VALUE;
      default -> {
        if (parameterOverrides.containsKey(name)) {
          yield parameterOverrides.get(name);
        }
        if (template.parameters().containsKey(name)) {
          Object def = Yamls.map(template.parameters().get(name)).get("Default");
          yield def == null ? "" : eval(def);
        }
        requireResource(name);
        yield refs.ref(name).orElseGet(() -> stack.physicalName(name));
      }
    };
  }

  private Object getAtt(Object arg) {
    List<Object> a = arg instanceof String s ? List.of(s.split("\\.", 2)) : args(arg, 2, "Fn::GetAtt");
    String id = stringOf(eval(a.get(0)));
    String attribute = stringOf(eval(a.get(1)));
    requireResource(id);
    return refs.attribute(id, attribute)
        .orElseGet(() -> stack.arn("local", stack.physicalName(id) + (attribute.equals("Arn") ? "" : "/" + attribute)));
  }

  private String sub(Object arg) {
    String text;
    Map<String, Object> vars;
    if (arg instanceof List<?> l) {
      text = stringOf(l.get(0));
      vars = l.size() > 1 ? Yamls.map(l.get(1)) : Map.of();
    } else {
      text = stringOf(arg);
      vars = Map.of();
    }
    Matcher m = SUB_VAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (!m.group(1).isEmpty()) {
        replacement = "${" + m.group(2) + "}"; // ${!Literal} escapes
      } else {
        String var = m.group(2).trim();
        if (vars.containsKey(var)) {
          replacement = stringOf(eval(vars.get(var)));
        } else if (var.contains(".") && !var.startsWith("AWS::")) {
          replacement = stringOf(getAtt(var));
        } else {
          replacement = stringOf(ref(var));
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void requireResource(String id) {
    if (!template.resources().containsKey(id)) {
      throw new IllegalArgumentException("Ref/GetAtt to " + id + ", which is neither a parameter nor a resource of the template");
    }
  }

  private static List<Object> args(Object arg, int n, String fn) {
    List<Object> a = Yamls.list(arg);
    if (a.size() < n) {
      throw new IllegalArgumentException(fn + " needs " + n + " arguments, got " + arg);
    }
    return a;
  }

  private static boolean truthy(Object v) {
    return v instanceof Boolean b ? b : Boolean.parseBoolean(stringOf(v));
  }

  static String stringOf(Object v) {
    if (v == null || v == NO_VALUE) {
      return "";
    }
    if (v instanceof Double d && d == Math.rint(d)) {
      return String.valueOf(d.longValue());
    }
    return String.valueOf(v);
  }
}
