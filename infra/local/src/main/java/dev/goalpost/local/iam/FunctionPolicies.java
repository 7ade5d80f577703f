package dev.goalpost.local.iam;

import dev.goalpost.local.template.Intrinsics;
import dev.goalpost.local.template.Resource;
import dev.goalpost.local.template.Stack;
import dev.goalpost.local.template.Template;
import dev.goalpost.local.template.Yamls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Reads the execution-role policy of each {@code AWS::Serverless::Function} as SAM builds it, with every
 * intrinsic resolved to the local stack's ARNs:
 * <ul>
 *   <li>{@code Policies}: inline policy documents ({@code - Statement: [...]}), SAM policy templates
 *       ({@code - DynamoDBCrudPolicy: {TableName: ...}}, see {@link #samTemplate}) and AWS managed policy names
 *       (only the Lambda execution-role ones are known; any other is logged and grants nothing here);</li>
 *   <li>{@code Role} instead of {@code Policies}: the inline {@code Policies} of that {@code AWS::IAM::Role};</li>
 *   <li>what SAM itself attaches: {@code AWSLambdaBasicExecutionRole} always and
 *       {@code AWSLambdaSQSQueueExecutionRole} for a function with an {@code SQS} event,
 *       {@code AWSLambdaDynamoDBExecutionRole} for one with a {@code DynamoDB} (stream) event.</li>
 * </ul>
 * SAM does not accept {@code Policies} under {@code Globals.Function}, so a template that puts it there is
 * refused here as {@code sam deploy} refuses it.
 */
public final class FunctionPolicies {
  private static final Logger LOG = Logger.getLogger(FunctionPolicies.class.getName());

  private final Template template;
  private final Intrinsics intrinsics;
  private final Stack stack;

  public FunctionPolicies(Template template, Intrinsics intrinsics, Stack stack) {
    this.template = template;
    this.intrinsics = intrinsics;
    this.stack = stack;
    if (template.globalsOf("Function").containsKey("Policies")) {
      throw new IllegalArgumentException("Globals.Function.Policies: SAM does not support Policies in Globals; "
          + "give each function its own Policies");
    }
  }

  /** The caller identity a hosted function's SDK calls are checked as. */
  public Caller callerOf(String logicalId) {
    Resource fn = template.resources().get(logicalId);
    if (fn == null) {
      throw new IllegalArgumentException("No function " + logicalId + " in the template");
    }
    String functionName = stack.physicalName(logicalId);
    String role = stack.physicalName(logicalId + "Role");
    return new Caller(logicalId, "arn:aws:sts::" + stack.accountId() + ":assumed-role/" + role + "/" + functionName,
        policyOf(fn), stack.region(), stack.accountId());
  }

  public Policy policyOf(Resource fn) {
    List<Statement> out = new ArrayList<>();
    Map<String, Object> p = fn.properties();
    out.addAll(managed("AWSLambdaBasicExecutionRole", fn.logicalId()));
    boolean sqsEvent = Yamls.map(p.get("Events")).values().stream()
        .anyMatch(e -> "SQS".equals(String.valueOf(Yamls.map(e).get("Type"))));
    if (sqsEvent) {
      out.addAll(managed("AWSLambdaSQSQueueExecutionRole", fn.logicalId()));
    }
    boolean streamEvent = Yamls.map(p.get("Events")).values().stream()
        .anyMatch(e -> "DynamoDB".equals(String.valueOf(Yamls.map(e).get("Type"))));
    if (streamEvent) {
      out.addAll(managed("AWSLambdaDynamoDBExecutionRole", fn.logicalId()));
      out.addAll(onFailureDestinations(p));
    }
    if (p.get("Role") != null) {
      out.addAll(roleStatements(fn.logicalId(), p.get("Role")));
      return new Policy(out);
    }
    Object policies = p.get("Policies");
    List<Object> items = policies instanceof List<?> l ? new ArrayList<>(l) : policies == null ? List.of() : List.of(policies);
    for (Object raw : items) {
      // an intrinsic item (!If [...], !Ref of a managed policy) first becomes what it stands for
      Object item = isIntrinsic(raw) ? intrinsics.resolve(raw) : raw;
      if (item == null) {
        continue; // !Ref AWS::NoValue
      }
      if (item instanceof String name) {
        out.addAll(managed(name, fn.logicalId()));
        continue;
      }
      Map<String, Object> m = Yamls.map(item);
      if (m.containsKey("Statement")) {
        out.addAll(document(fn.logicalId(), m));
      } else if (m.size() == 1) {
        var e = m.entrySet().iterator().next();
        out.addAll(samTemplate(fn.logicalId(), e.getKey(), Yamls.map(intrinsics.resolve(e.getValue()))));
      } else {
        throw new IllegalArgumentException(fn.logicalId() + ": a Policies item must be a managed policy, a policy "
            + "document with Statement or one SAM policy template, got " + m.keySet());
      }
    }
    return new Policy(out);
  }

  /**
   * SAM adds {@code sqs:SendMessage} (or {@code sns:Publish}) on a stream event's on-failure destination when
   * {@code DestinationConfig.OnFailure.Type} names it: the mapping sends there as the function's role.
   */
  private List<Statement> onFailureDestinations(Map<String, Object> p) {
    List<Statement> out = new ArrayList<>();
    for (Object e : Yamls.map(p.get("Events")).values()) {
      Map<String, Object> event = Yamls.map(e);
      if (!"DynamoDB".equals(String.valueOf(event.get("Type")))) {
        continue;
      }
      Object onFailure = Yamls.at(event.get("Properties"), "DestinationConfig", "OnFailure");
      String type = Yamls.string(Yamls.at(onFailure, "Type"));
      Object destination = Yamls.at(onFailure, "Destination");
      if (type == null || destination == null) {
        continue;
      }
      String arn = String.valueOf(intrinsics.resolve(destination));
      switch (type) {
        case "SQS" -> out.add(Statement.allow(List.of("sqs:SendMessage"), List.of(arn)));
        case "SNS" -> out.add(Statement.allow(List.of("sns:Publish"), List.of(arn)));
        default -> { }
      }
    }
    return out;
  }

  private static boolean isIntrinsic(Object v) {
    if (v instanceof Map<?, ?> m && m.size() == 1) {
      String key = String.valueOf(m.keySet().iterator().next());
      return key.equals("Ref") || key.startsWith("Fn::");
    }
    return false;
  }

  private List<Statement> roleStatements(String fnId, Object roleValue) {
    Object getAtt = Yamls.at(roleValue, "Fn::GetAtt");
    String roleId = getAtt instanceof List<?> l ? String.valueOf(l.get(0))
        : getAtt != null ? String.valueOf(getAtt).split("\\.")[0] : null;
    Resource role = roleId == null ? null : template.resources().get(roleId);
    if (role == null || !role.is("AWS::IAM::Role")) {
      LOG.warning(() -> fnId + ": Role " + roleValue + " is not an AWS::IAM::Role of the template; its calls are all denied locally");
      return List.of();
    }
    List<Statement> out = new ArrayList<>();
    for (Object pol : Yamls.list(role.properties().get("Policies"))) {
      out.addAll(document(fnId, Yamls.map(Yamls.map(pol).get("PolicyDocument"))));
    }
    for (Object arn : Yamls.list(intrinsics.resolve(role.properties().get("ManagedPolicyArns")))) {
      out.addAll(managed(String.valueOf(arn), fnId));
    }
    return out;
  }

  /** One inline policy document: its {@code Statement} (one map or a list), intrinsics resolved. */
  List<Statement> document(String fnId, Map<String, Object> doc) {
    Object resolved = intrinsics.resolve(doc.get("Statement"));
    List<Object> raw = resolved instanceof List<?> l ? new ArrayList<>(l) : List.of(resolved);
    List<Statement> out = new ArrayList<>();
    for (Object s : raw) {
      out.add(statement(fnId, Yamls.map(s)));
    }
    return out;
  }

  static Statement statement(String fnId, Map<String, Object> s) {
    String effect = String.valueOf(s.get("Effect"));
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw new IllegalArgumentException(fnId + ": policy statement Effect must be Allow or Deny, got " + effect);
    }
    boolean notAction = s.containsKey("NotAction");
    boolean notResource = s.containsKey("NotResource");
    List<String> actions = strings(s.get(notAction ? "NotAction" : "Action"));
    List<String> resources = strings(s.get(notResource ? "NotResource" : "Resource"));
    if (actions.isEmpty() || resources.isEmpty()) {
      throw new IllegalArgumentException(fnId + ": policy statement needs Action (or NotAction) and Resource (or NotResource): " + s);
    }
    boolean condition = s.get("Condition") != null;
    if (condition) {
      LOG.warning(() -> fnId + ": statement " + s + " has a Condition, which the local cloud does not evaluate (applied as if it held)");
    }
    return new Statement(effect.equals("Allow"), actions, notAction, resources, notResource, condition);
  }

  private static List<String> strings(Object v) {
    if (v == null) {
      return List.of();
    }
    return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(v));
  }

  /** The AWS managed policies SAM attaches to execution roles; any other name grants nothing locally. */
  private List<Statement> managed(String nameOrArn, String fnId) {
    String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
    return switch (name) {
      case "AWSLambdaBasicExecutionRole" ->
          List.of(Statement.allow(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"), List.of("*")));
      case "AWSLambdaSQSQueueExecutionRole" -> List.of(Statement.allow(
          List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "logs:CreateLogGroup",
              "logs:CreateLogStream", "logs:PutLogEvents"), List.of("*")));
      // What SAM attaches for a DynamoDB event: the mapping reads the stream as the function's role.
      case "AWSLambdaDynamoDBExecutionRole" -> List.of(Statement.allow(
          List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
              "dynamodb:ListStreams", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
          List.of("*")));
      default -> {
        LOG.warning(() -> fnId + ": managed policy " + nameOrArn + " is not known to the local cloud; it grants nothing here");
        yield List.of();
      }
    };
  }

  /**
   * The SAM policy templates (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/
   * serverless-policy-template-list.html) a template here may use, expanded as SAM expands them.
   */
  List<Statement> samTemplate(String fnId, String name, Map<String, Object> params) {
    return switch (name) {
      case "DynamoDBCrudPolicy" -> List.of(Statement.allow(
          dynamo("GetItem", "DeleteItem", "PutItem", "Scan", "Query", "UpdateItem", "BatchWriteItem", "BatchGetItem",
              "DescribeTable", "ConditionCheckItem"), tableAndIndexes(param(fnId, name, params, "TableName"))));
      case "DynamoDBReadPolicy" -> List.of(Statement.allow(
          dynamo("GetItem", "Scan", "Query", "BatchGetItem", "DescribeTable"), tableAndIndexes(param(fnId, name, params, "TableName"))));
      case "DynamoDBWritePolicy" -> List.of(Statement.allow(
          dynamo("PutItem", "UpdateItem", "BatchWriteItem"), tableAndIndexes(param(fnId, name, params, "TableName"))));
      case "SQSSendMessagePolicy" -> List.of(Statement.allow(List.of("sqs:SendMessage*"),
          List.of(stack.arn("sqs", param(fnId, name, params, "QueueName")))));
      case "SQSPollerPolicy" -> List.of(Statement.allow(List.of("sqs:ChangeMessageVisibility",
              "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch",
              "sqs:GetQueueAttributes", "sqs:ReceiveMessage"),
          List.of(stack.arn("sqs", param(fnId, name, params, "QueueName")))));
      case "EventBridgePutEventsPolicy" -> List.of(Statement.allow(List.of("events:PutEvents"),
          List.of(stack.arn("events", "event-bus/" + param(fnId, name, params, "EventBusName")))));
      case "SNSPublishMessagePolicy" -> List.of(Statement.allow(List.of("sns:Publish"),
          List.of(stack.arn("sns", param(fnId, name, params, "TopicName")))));
      case "SSMParameterReadPolicy" -> List.of(
          Statement.allow(List.of("ssm:DescribeParameters"), List.of("*")),
          Statement.allow(List.of("ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"),
              List.of(stack.arn("ssm", "parameter/" + param(fnId, name, params, "ParameterName")))));
      case "SSMParameterWithSlashPrefixReadPolicy" -> List.of(
          Statement.allow(List.of("ssm:DescribeParameters"), List.of("*")),
          Statement.allow(List.of("ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"),
              List.of(stack.arn("ssm", "parameter" + param(fnId, name, params, "ParameterName")))));
      default -> throw new IllegalArgumentException(fnId + ": SAM policy template " + name
          + " is not known to the local cloud (add it to " + FunctionPolicies.class.getSimpleName() + ")");
    };
  }

  private static String param(String fnId, String template, Map<String, Object> params, String key) {
    Object v = params.get(key);
    if (v == null) {
      throw new IllegalArgumentException(fnId + ": policy template " + template + " needs " + key);
    }
    return String.valueOf(v);
  }

  private static List<String> dynamo(String... ops) {
    return java.util.Arrays.stream(ops).map(o -> "dynamodb:" + o).toList();
  }

  private List<String> tableAndIndexes(String table) {
    return List.of(stack.arn("dynamodb", "table/" + table), stack.arn("dynamodb", "table/" + table + "/index/*"));
  }
}
