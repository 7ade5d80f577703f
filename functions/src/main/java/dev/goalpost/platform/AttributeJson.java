package dev.goalpost.platform;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's JSON for attribute values ({@code {"S": "x"}}, {@code {"N": "1"}}, {@code {"M": {...}}} …), as a
 * Lambda DynamoDB stream event carries item images, to and from the SDK's {@link AttributeValue}. Binary values
 * are base64 text, as in the event JSON.
 */
public final class AttributeJson {
  private AttributeJson() {}

  /** An item image ({@code Keys}, {@code NewImage}, {@code OldImage}) from its JSON map; null stays null. */
  public static Map<String, AttributeValue> item(Object json) {
    if (!(json instanceof Map<?, ?> m)) {
      return null;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
    return out;
  }

  public static AttributeValue value(Object json) {
    if (!(json instanceof Map<?, ?> m) || m.size() != 1) {
      throw new IllegalArgumentException("Not a DynamoDB attribute value: " + json);
    }
    var e = m.entrySet().iterator().next();
    String type = String.valueOf(e.getKey());
    Object v = e.getValue();
    return switch (type) {
      case "S" -> AttributeValue.fromS(String.valueOf(v));
      case "N" -> AttributeValue.fromN(String.valueOf(v));
      case "BOOL" -> AttributeValue.fromBool(v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v)));
      case "NULL" -> AttributeValue.fromNul(true);
      case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(String.valueOf(v))));
      case "SS" -> AttributeValue.fromSs(strings(v));
      case "NS" -> AttributeValue.fromNs(strings(v));
      case "BS" -> AttributeValue.fromBs(strings(v).stream()
          .map(b -> SdkBytes.fromByteArray(Base64.getDecoder().decode(b))).toList());
      case "L" -> AttributeValue.fromL(((List<?>) v).stream().map(AttributeJson::value).toList());
      case "M" -> AttributeValue.fromM(item(v));
      default -> throw new IllegalArgumentException("Unknown DynamoDB attribute type " + type);
    };
  }

  private static List<String> strings(Object v) {
    return ((List<?>) v).stream().map(String::valueOf).toList();
  }

  /** The JSON map of an item image (for building a stream event). */
  public static Map<String, Object> json(Map<String, AttributeValue> item) {
    if (item == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    item.forEach((k, v) -> out.put(k, json(v)));
    return out;
  }

  public static Map<String, Object> json(AttributeValue v) {
    return switch (v.type()) {
      case S -> Map.of("S", v.s());
      case N -> Map.of("N", v.n());
      case BOOL -> Map.of("BOOL", v.bool());
      case NUL -> Map.of("NULL", true);
      case B -> Map.of("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
      case SS -> Map.of("SS", List.copyOf(v.ss()));
      case NS -> Map.of("NS", List.copyOf(v.ns()));
      case BS -> Map.of("BS", v.bs().stream().map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).toList());
      case L -> {
        List<Object> l = new ArrayList<>();
        v.l().forEach(x -> l.add(json(x)));
        yield Map.of("L", l);
      }
      case M -> Map.of("M", json(v.m()));
      case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("Unknown attribute value " + v);
    };
  }
}
