package dev.goalpost.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * What IAM authorizes for one SDK request: the (action, resource ARN) pairs the service checks, each of which
 * must be allowed. Service-specific where the service authorizes something other than "the operation on the
 * resource it names": a DynamoDB transaction is checked item by item as PutItem/UpdateItem/DeleteItem/
 * ConditionCheckItem (writes) or GetItem (reads) on each item's table; BatchGetItem/BatchWriteItem once per
 * table; a Query or Scan of an index on the index ARN; SQS batch operations as their single forms;
 * EventBridge PutEvents on each entry's bus (the default bus when an entry names none); SSM GetParameters on
 * each parameter; End User Messaging SMS SendTextMessage on the configuration set it names and on its
 * origination identity (an ARN as given, a pool id as {@code pool/ID}, a phone number or its id as
 * {@code phone-number/…}); SNS Publish on the topic.
 */
public final class Authorization {
  private static final Pattern PARTIQL_TABLE = Pattern.compile(
      "(?is)^\\s*(SELECT\\b.*?\\bFROM|INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|EXISTS\\s*\\(\\s*SELECT\\b.*?\\bFROM)\\s+\"?([A-Za-z0-9_.-]+)\"?(?:\\.\"?([A-Za-z0-9_.-]+)\"?)?");

  private Authorization() {}

  /** One thing IAM checks. */
  public record Check(String action, String resource) {}

  /** The IAM prefix of the service a request's class belongs to ({@code dynamodb}, {@code events}, ...). */
  public static String servicePrefix(SdkRequest request) {
    String pkg = request.getClass().getPackageName();
    int at = pkg.indexOf(".services.");
    String module = at < 0 ? pkg : pkg.substring(at + ".services.".length()).split("\\.")[0];
    return switch (module) {
      case "eventbridge", "cloudwatchevents" -> "events";
      case "pinpoint" -> "mobiletargeting";
      case "pinpointsmsvoicev2" -> "sms-voice";
      case "cloudwatchlogs" -> "logs";
      case "cloudwatch" -> "cloudwatch";
      case "sfn" -> "states";
      default -> module;
    };
  }

  public static List<Check> of(SdkRequest request, String operation, Caller caller) {
    String prefix = servicePrefix(request);
    Set<Check> checks = new LinkedHashSet<>();
    switch (prefix) {
      case "dynamodb" -> dynamo(request, operation, caller, checks);
      case "sqs" -> sqs(request, operation, caller, checks);
      case "events" -> events(request, operation, caller, checks);
      case "ssm" -> ssm(request, operation, caller, checks);
      case "mobiletargeting" -> {
        String app = field(request, "ApplicationId").orElse("*");
        String resource = operation.startsWith("Send") ? "apps/" + app + "/messages" : "apps/" + app;
        checks.add(new Check("mobiletargeting:" + operation, caller.arn("mobiletargeting", resource)));
      }
      case "sms-voice" -> smsVoice(request, operation, caller, checks);
      case "sns" -> checks.add(new Check("sns:" + (operation.equals("PublishBatch") ? "Publish" : operation),
          field(request, "TopicArn").or(() -> field(request, "TargetArn")).orElse("*")));
      default -> checks.add(new Check(prefix + ":" + operation, "*"));
    }
    return new ArrayList<>(checks);
  }

  private static void dynamo(SdkRequest request, String operation, Caller caller, Set<Check> checks) {
    switch (request) {
      case TransactWriteItemsRequest t -> {
        for (TransactWriteItem item : t.transactItems()) {
          if (item.put() != null) {
            checks.add(new Check("dynamodb:PutItem", table(caller, item.put().tableName())));
          }
          if (item.update() != null) {
            checks.add(new Check("dynamodb:UpdateItem", table(caller, item.update().tableName())));
          }
          if (item.delete() != null) {
            checks.add(new Check("dynamodb:DeleteItem", table(caller, item.delete().tableName())));
          }
          if (item.conditionCheck() != null) {
            checks.add(new Check("dynamodb:ConditionCheckItem", table(caller, item.conditionCheck().tableName())));
          }
        }
      }
      case TransactGetItemsRequest t -> {
        for (TransactGetItem item : t.transactItems()) {
          checks.add(new Check("dynamodb:GetItem", table(caller, item.get().tableName())));
        }
      }
      case BatchGetItemRequest b -> b.requestItems().keySet()
          .forEach(t -> checks.add(new Check("dynamodb:BatchGetItem", table(caller, t))));
      case BatchWriteItemRequest b -> b.requestItems().keySet()
          .forEach(t -> checks.add(new Check("dynamodb:BatchWriteItem", table(caller, t))));
      case QueryRequest q -> checks.add(new Check("dynamodb:Query", index(caller, q.tableName(), q.indexName())));
      case ScanRequest s -> checks.add(new Check("dynamodb:Scan", index(caller, s.tableName(), s.indexName())));
      case ExecuteStatementRequest s -> partiQl(s.statement(), caller, checks);
      // DynamoDB Streams (DescribeStream, GetShardIterator, GetRecords) name the stream instead of the table.
      default -> checks.add(new Check("dynamodb:" + operation,
          field(request, "TableName").map(t -> table(caller, t)).or(() -> field(request, "StreamArn")).orElse("*")));
    }
  }

  /** PartiQL: dynamodb:PartiQLSelect/Insert/Update/Delete on the table (or index) the statement names. */
  private static void partiQl(String statement, Caller caller, Set<Check> checks) {
    Matcher m = PARTIQL_TABLE.matcher(statement);
    String verb = statement.trim().split("\\s+")[0].toUpperCase(Locale.ROOT);
    String action = switch (verb) {
      case "INSERT" -> "dynamodb:PartiQLInsert";
      case "UPDATE" -> "dynamodb:PartiQLUpdate";
      case "DELETE" -> "dynamodb:PartiQLDelete";
      default -> "dynamodb:PartiQLSelect";
    };
    checks.add(new Check(action, m.find() ? index(caller, m.group(2), m.group(3)) : "*"));
  }

  private static String table(Caller caller, String nameOrArn) {
    return nameOrArn.startsWith("arn:") ? nameOrArn : caller.arn("dynamodb", "table/" + nameOrArn);
  }

  private static String index(Caller caller, String table, String index) {
    String t = table(caller, table);
    return index == null || index.isEmpty() ? t : t + "/index/" + index;
  }

  private static void sqs(SdkRequest request, String operation, Caller caller, Set<Check> checks) {
    String action = "sqs:" + switch (operation) {
      case "SendMessageBatch" -> "SendMessage";
      case "DeleteMessageBatch" -> "DeleteMessage";
      case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
      default -> operation;
    };
    String resource = field(request, "QueueUrl").map(u -> queueArn(caller, u))
        .or(() -> field(request, "QueueName").map(n -> caller.arn("sqs", n)))
        .orElse("*");
    checks.add(new Check(action, resource));
  }

  /** {@code http(s)://host/ACCOUNT/NAME} to {@code arn:aws:sqs:REGION:ACCOUNT:NAME}. */
  static String queueArn(Caller caller, String url) {
    String path = url.replaceFirst("^[a-z]+://[^/]+", "");
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    String name = parts[parts.length - 1];
    String account = parts.length >= 2 && parts[parts.length - 2].matches("\\d{12}") ? parts[parts.length - 2] : caller.accountId();
    return "arn:aws:sqs:" + caller.region() + ":" + account + ":" + name;
  }

  private static void events(SdkRequest request, String operation, Caller caller, Set<Check> checks) {
    if (request instanceof PutEventsRequest put) {
      for (PutEventsRequestEntry e : put.entries()) {
        checks.add(new Check("events:PutEvents", bus(caller, e.eventBusName())));
      }
      return;
    }
    checks.add(new Check("events:" + operation, field(request, "EventBusName").map(b -> bus(caller, b)).orElse("*")));
  }

  private static String bus(Caller caller, String nameOrArn) {
    if (nameOrArn == null || nameOrArn.isEmpty()) {
      return caller.arn("events", "event-bus/default");
    }
    return nameOrArn.startsWith("arn:") ? nameOrArn : caller.arn("events", "event-bus/" + nameOrArn);
  }

  /** SendTextMessage: one check on the configuration set (when named), one on the origination identity. */
  private static void smsVoice(SdkRequest request, String operation, Caller caller, Set<Check> checks) {
    String action = "sms-voice:" + operation;
    Optional<String> set = field(request, "ConfigurationSetName");
    Optional<String> origin = field(request, "OriginationIdentity");
    if (set.isEmpty() && origin.isEmpty()) {
      checks.add(new Check(action, "*"));
      return;
    }
    set.ifPresent(n -> checks.add(new Check(action, n.startsWith("arn:") ? n
        : caller.arn("sms-voice", "configuration-set/" + n))));
    origin.ifPresent(o -> checks.add(new Check(action, o.startsWith("arn:") ? o
        : o.startsWith("pool-") ? caller.arn("sms-voice", "pool/" + o)
        : caller.arn("sms-voice", "phone-number/" + o))));
  }

  private static void ssm(SdkRequest request, String operation, Caller caller, Set<Check> checks) {
    String action = "ssm:" + operation;
    List<?> names = request.getValueForField("Names", List.class).orElse(null);
    if (names != null) {
      names.forEach(n -> checks.add(new Check(action, parameter(caller, String.valueOf(n)))));
      return;
    }
    checks.add(new Check(action, field(request, "Name").or(() -> field(request, "Path"))
        .map(n -> parameter(caller, n)).orElse("*")));
  }

  /** {@code /a/b} to {@code ...:parameter/a/b}; a name without a leading slash gets one, as in SSM's ARNs. */
  private static String parameter(Caller caller, String nameOrArn) {
    if (nameOrArn.startsWith("arn:")) {
      return nameOrArn;
    }
    return caller.arn("ssm", "parameter" + (nameOrArn.startsWith("/") ? nameOrArn : "/" + nameOrArn));
  }

  private static Optional<String> field(SdkRequest request, String name) {
    try {
      return request.getValueForField(name, String.class).filter(s -> !s.isEmpty());
    } catch (ClassCastException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
