package dev.goalpost.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Builds one DynamoDB UpdateExpression with generated {@code #nN} / {@code :vN} placeholders, so attribute
 * names that are reserved words or contain spaces ("cf#home county") are always safe.
 */
public final class Update {
  private final List<String> set = new ArrayList<>();
  private final List<String> remove = new ArrayList<>();
  private final List<String> add = new ArrayList<>();
  private final List<String> delete = new ArrayList<>();
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, AttributeValue> values = new HashMap<>();

  public String name(String attribute) {
    String placeholder = "#n" + names.size();
    names.put(placeholder, attribute);
    return placeholder;
  }

  public String value(AttributeValue v) {
    String placeholder = ":v" + values.size();
    values.put(placeholder, v);
    return placeholder;
  }

  public Update set(String attribute, AttributeValue v) {
    set.add(name(attribute) + " = " + value(v));
    return this;
  }

  /** Sets the attribute only when the item does not have it yet (creation time, first values). */
  public Update setIfAbsent(String attribute, AttributeValue v) {
    String n = name(attribute);
    set.add(n + " = if_not_exists(" + n + ", " + value(v) + ")");
    return this;
  }

  public Update remove(String attribute) {
    remove.add(name(attribute));
    return this;
  }

  /** ADD to a number or a set. */
  public Update add(String attribute, AttributeValue v) {
    add.add(name(attribute) + " " + value(v));
    return this;
  }

  /** DELETE elements from a set. */
  public Update deleteFromSet(String attribute, AttributeValue v) {
    delete.add(name(attribute) + " " + value(v));
    return this;
  }

  public String expression() {
    StringBuilder sb = new StringBuilder();
    if (!set.isEmpty()) sb.append("SET ").append(String.join(", ", set)).append(' ');
    if (!remove.isEmpty()) sb.append("REMOVE ").append(String.join(", ", remove)).append(' ');
    if (!add.isEmpty()) sb.append("ADD ").append(String.join(", ", add)).append(' ');
    if (!delete.isEmpty()) sb.append("DELETE ").append(String.join(", ", delete)).append(' ');
    return sb.toString().trim();
  }

  public Map<String, String> names() {
    return names;
  }

  /** Values, or null when there are none (DynamoDB rejects an empty map). */
  public Map<String, AttributeValue> values() {
    return values.isEmpty() ? null : values;
  }
}
