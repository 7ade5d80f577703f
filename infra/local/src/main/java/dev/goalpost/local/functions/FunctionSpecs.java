package dev.goalpost.local.functions;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Template;
import dev.goalpost.local.template.Yamls;
import dev.goalpost.platform.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads every {@code AWS::Serverless::Function} of the template, with {@code Globals.Function} applied. */
public final class FunctionSpecs {
  private final Template template;
  private final Intrinsics intrinsics;
  private final Stack stack;

  public FunctionSpecs(Template template, Intrinsics intrinsics, Stack stack) {
    this.template = template;
    this.intrinsics = intrinsics;
    this.stack = stack;
  }

  public List<FunctionSpec> all() {
    return template.ofType("AWS::Serverless::Function").stream().map(this::spec).toList();
  }

  private FunctionSpec spec(Resource r) {
    Map<String, Object> globals = template.globalsOf("Function");
    Map<String, Object> p = r.properties();
    String name = stack.physicalName(r.logicalId());
    int memory = Integer.parseInt(intrinsics.resolveString(p.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128))));
    int timeout = Integer.parseInt(intrinsics.resolveString(p.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3))));

    Map<String, Object> variables = new LinkedHashMap<>(Yamls.map(Yamls.at(globals, "Environment", "Variables")));
    variables.putAll(Yamls.map(Yamls.at(p, "Environment", "Variables")));
    Map<String, String> env = new LinkedHashMap<>(intrinsics.resolveStrings(variables));
    // Variables Lambda itself sets for every function.
    env.put("AWS_REGION", stack.region());
    env.put("AWS_DEFAULT_REGION", stack.region());
    env.put("AWS_LAMBDA_FUNCTION_NAME", name);
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory));

    String handler = intrinsics.resolveString(p.getOrDefault("Handler", globals.get("Handler")));
    if (handler == null || handler.isBlank()) {
      throw new IllegalArgumentException("Function " + r.logicalId() + " has no Handler");
    }
    List<EventSource> events = new ArrayList<>();
    Yamls.map(p.get("Events")).forEach((eventName, body) -> events.add(event(eventName, Yamls.map(body))));
    return new FunctionSpec(r.logicalId(), name, stack.arn("lambda", "function:" + name), handler, env, memory,
        timeout, events);
  }

  private EventSource event(String name, Map<String, Object> body) {
    String type = String.valueOf(body.get("Type"));
    Map<String, Object> raw = Yamls.map(body.get("Properties"));
    return switch (type) {
      case "HttpApi" -> httpApi(name, raw);
      case "SQS" -> {
        Map<String, Object> p = Yamls.map(intrinsics.resolve(raw));
        yield new EventSource.Sqs(name, String.valueOf(p.get("Queue")),
            Integer.parseInt(String.valueOf(p.getOrDefault("BatchSize", 10))),
            Yamls.list(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
            !"false".equals(String.valueOf(p.getOrDefault("Enabled", "true"))));
      }
      case "DynamoDB" -> {
        Map<String, Object> p = Yamls.map(intrinsics.resolve(raw));
        yield new EventSource.DynamoDb(name, String.valueOf(p.get("Stream")),
            String.valueOf(p.getOrDefault("StartingPosition", "LATEST")),
            Integer.parseInt(String.valueOf(p.getOrDefault("BatchSize", 100))),
            Integer.parseInt(String.valueOf(p.getOrDefault("MaximumBatchingWindowInSeconds", 0))),
            Yamls.list(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
            "true".equals(String.valueOf(p.getOrDefault("BisectBatchOnFunctionError", "false"))),
            Integer.parseInt(String.valueOf(p.getOrDefault("MaximumRetryAttempts", -1))),
            Yamls.string(Yamls.at(p, "DestinationConfig", "OnFailure", "Destination")),
            Integer.parseInt(String.valueOf(p.getOrDefault("TumblingWindowInSeconds", 0))),
            !"false".equals(String.valueOf(p.getOrDefault("Enabled", "true"))));
      }
      case "ScheduleV2", "Schedule" -> {
        Map<String, Object> p = Yamls.map(intrinsics.resolve(raw));
        Object input = p.get("Input");
        String state = String.valueOf(p.getOrDefault("State", "ENABLED"));
        boolean enabled = !"DISABLED".equals(state) && !"false".equals(String.valueOf(p.getOrDefault("Enabled", "true")));
        yield new EventSource.Schedule(name, String.valueOf(p.get("ScheduleExpression")),
            Yamls.string(p.get("ScheduleExpressionTimezone")),
            input == null ? null : input instanceof String s ? s : Json.write(input),
            enabled, type.equals("ScheduleV2"));
      }
      case "Cognito" -> {
        Object trigger = raw.get("Trigger");
        yield new EventSource.Cognito(name, trigger instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : trigger == null ? List.of() : List.of(String.valueOf(trigger)));
      }
      default -> new EventSource.Unsupported(name, type);
    };
  }

  /**
   * A route keeps the name of its authorizer: the event's own {@code Auth.Authorizer}, else the API's
   * {@code Auth.DefaultAuthorizer}; {@code NONE} makes it public, exactly as SAM wires API Gateway.
   */
  private EventSource httpApi(String name, Map<String, Object> raw) {
    Map<String, Object> p = Yamls.map(intrinsics.resolve(withoutApiId(raw)));
    String apiId = apiLogicalId(raw.get("ApiId"));
    String authorizer = Yamls.string(Yamls.at(p, "Auth", "Authorizer"));
    if (authorizer == null) {
      authorizer = Yamls.string(Yamls.at(apiProperties(apiId), "Auth", "DefaultAuthorizer"));
    }
    if ("NONE".equals(authorizer)) {
      authorizer = null;
    }
    String method = String.valueOf(p.getOrDefault("Method", "ANY")).toUpperCase(java.util.Locale.ROOT);
    String path = String.valueOf(p.getOrDefault("Path", "$default"));
    return new EventSource.HttpApi(name, method.equals("*") ? "ANY" : method, path, apiId, authorizer);
  }

  private static Map<String, Object> withoutApiId(Map<String, Object> raw) {
    Map<String, Object> copy = new LinkedHashMap<>(raw);
    copy.remove("ApiId");
    return copy;
  }

  /** The HttpApi's logical id: the {@code Ref} target, or SAM's implicit API when the event names none. */
  static String apiLogicalId(Object apiIdProperty) {
    Object ref = Yamls.at(apiIdProperty, "Ref");
    return ref == null ? "ServerlessHttpApi" : String.valueOf(ref);
  }

  /** Properties of the named HttpApi (or Globals.HttpApi for the implicit one), intrinsics resolved. */
  public Map<String, Object> apiProperties(String apiLogicalId) {
    Map<String, Object> merged = new LinkedHashMap<>(template.globalsOf("HttpApi"));
    Resource api = template.resources().get(apiLogicalId);
    if (api != null) {
      merged.putAll(api.properties());
    }
    return Yamls.map(intrinsics.resolve(merged));
  }
}
