package dev.goalpost.projections;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An in-memory table for the projection's unit tests: GetItem, BatchGetItem and UpdateItem with the update and
 * condition expressions the projection writes (SET with if_not_exists, ADD of numbers, REMOVE; conditions of
 * attribute_exists / attribute_not_exists / = / < / <= joined by AND, OR and parentheses). {@link #failNext}
 * throttles the next UpdateItem on items matching a test.
 */
final class FakeTable implements DynamoDbClient {
  final Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
  final List<UpdateItemRequest> updates = new ArrayList<>();
  int gets;
  private final List<Predicate<Map<String, AttributeValue>>> failures = new ArrayList<>();

  static String id(Map<String, AttributeValue> key) {
    return key.get("PK").s() + "|" + key.get("SK").s();
  }

  Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
    return items.getOrDefault(id(key), Map.of());
  }

  void failNext(Predicate<Map<String, AttributeValue>> keyTest) {
    failures.add(keyTest);
  }

  @Override
  public GetItemResponse getItem(GetItemRequest r) {
    gets++;
    var item = items.get(id(r.key()));
    return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(new HashMap<>(item)).build();
  }

  @Override
  public BatchGetItemResponse batchGetItem(BatchGetItemRequest r) {
    Map<String, List<Map<String, AttributeValue>>> out = new HashMap<>();
    r.requestItems().forEach((table, ka) -> {
      List<Map<String, AttributeValue>> found = new ArrayList<>();
      ka.keys().forEach(k -> {
        if (items.containsKey(id(k))) {
          found.add(items.get(id(k)));
        }
      });
      out.put(table, found);
    });
    return BatchGetItemResponse.builder().responses(out).build();
  }

  @Override
  public UpdateItemResponse updateItem(UpdateItemRequest r) {
    for (var f : failures) {
      if (f.test(r.key())) {
        failures.remove(f);
        throw ProvisionedThroughputExceededException.builder().message("throttled (test)")
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build()).build();
      }
    }
    Map<String, AttributeValue> current = items.get(id(r.key()));
    Map<String, AttributeValue> item = current == null ? new HashMap<>(r.key()) : new HashMap<>(current);
    Map<String, String> names = r.expressionAttributeNames() == null ? Map.of() : r.expressionAttributeNames();
    Map<String, AttributeValue> values = r.expressionAttributeValues() == null ? Map.of() : r.expressionAttributeValues();
    if (r.conditionExpression() != null
        && !new Condition(r.conditionExpression(), names, values, current == null ? Map.of() : current).eval()) {
      throw ConditionalCheckFailedException.builder().message("The conditional request failed").build();
    }
    apply(r.updateExpression(), names, values, item);
    items.put(id(r.key()), item);
    updates.add(r);
    return UpdateItemResponse.builder().build();
  }

  private static void apply(String expression, Map<String, String> names, Map<String, AttributeValue> values,
                            Map<String, AttributeValue> item) {
    String clause = null;
    for (String token : expression.split("(?=\\b(SET|REMOVE|ADD|DELETE) )")) {
      token = token.trim();
      for (String kw : List.of("SET", "REMOVE", "ADD")) {
        if (token.startsWith(kw + " ")) {
          clause = kw;
          token = token.substring(kw.length() + 1);
        }
      }
      for (String part : token.split(",\\s*(?![^()]*\\))")) {
        part = part.trim();
        if (part.isEmpty()) {
          continue;
        }
        switch (clause) {
          case "SET" -> {
            String[] lr = part.split("\\s*=\\s*", 2);
            String name = names.get(lr[0]);
            String rhs = lr[1];
            if (rhs.startsWith("if_not_exists(")) {
              String v = rhs.substring(rhs.indexOf(',') + 1, rhs.length() - 1).trim();
              item.putIfAbsent(name, values.get(v));
            } else {
              item.put(name, values.get(rhs));
            }
          }
          case "REMOVE" -> item.remove(names.get(part));
          case "ADD" -> {
            String[] nv = part.split("\\s+");
            String name = names.get(nv[0]);
            long was = item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
            item.put(name, AttributeValue.fromN(Long.toString(was + Long.parseLong(values.get(nv[1]).n()))));
          }
          default -> throw new IllegalArgumentException(expression);
        }
      }
    }
  }

  /** expr := term (OR term)*; term := factor (AND factor)*; factor := (expr) | fn(#n) | #n op :v. */
  private static final class Condition {
    private final List<String> tokens = new ArrayList<>();
    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Map<String, AttributeValue> item;
    private int at;

    Condition(String text, Map<String, String> names, Map<String, AttributeValue> values, Map<String, AttributeValue> item) {
      var m = java.util.regex.Pattern.compile("\\(|\\)|<=|<|=|[#:][A-Za-z0-9_]+|[A-Za-z_]+").matcher(text);
      while (m.find()) {
        tokens.add(m.group());
      }
      this.names = names;
      this.values = values;
      this.item = item;
    }

    boolean eval() {
      return or();
    }

    private boolean or() {
      boolean v = and();
      while (at < tokens.size() && tokens.get(at).equals("OR")) {
        at++;
        v = and() | v;
      }
      return v;
    }

    private boolean and() {
      boolean v = factor();
      while (at < tokens.size() && tokens.get(at).equals("AND")) {
        at++;
        v = factor() & v;
      }
      return v;
    }

    private boolean factor() {
      String t = tokens.get(at++);
      if (t.equals("(")) {
        boolean v = or();
        at++; // ")"
        return v;
      }
      if (t.equals("attribute_exists") || t.equals("attribute_not_exists")) {
        at++; // "("
        String name = names.get(tokens.get(at++));
        at++; // ")"
        return t.equals("attribute_exists") == item.containsKey(name);
      }
      String name = names.get(t);
      String op = tokens.get(at++);
      AttributeValue v = values.get(tokens.get(at++));
      AttributeValue have = item.get(name);
      if (have == null) {
        return false;
      }
      int cmp = have.s() != null ? have.s().compareTo(v.s()) : have.equals(v) ? 0 : 1;
      return switch (op) {
        case "=" -> have.equals(v);
        case "<" -> cmp < 0;
        case "<=" -> cmp <= 0;
        default -> throw new IllegalArgumentException(op);
      };
    }
  }

  @Override
  public String serviceName() {
    return "dynamodb";
  }

  @Override
  public void close() {}
}
