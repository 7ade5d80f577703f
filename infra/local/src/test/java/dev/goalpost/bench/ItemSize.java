package dev.goalpost.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's item size, as its capacity accounting counts it (the emulator reports no consumed capacity):
 * for each attribute the UTF-8 length of its name plus the size of its value — S: UTF-8 bytes; N: about one
 * byte per two significant digits plus one; B: bytes; BOOL and NULL: 1; L and M: 3 bytes plus, per element,
 * 1 byte and the element's size (an M element also counts its name); SS/NS/BS: the sum of their members.
 */
public final class ItemSize {
  private ItemSize() {}

  public static int of(Map<String, AttributeValue> item) {
    if (item == null) {
      return 0;
    }
    int size = 0;
    for (var e : item.entrySet()) {
      size += utf8(e.getKey()) + value(e.getValue());
    }
    return size;
  }

  static int value(AttributeValue v) {
    return switch (v.type()) {
      case S -> utf8(v.s());
      case N -> number(v.n());
      case B -> bytes(v.b());
      case BOOL, NUL -> 1;
      case SS -> v.ss().stream().mapToInt(ItemSize::utf8).sum();
      case NS -> v.ns().stream().mapToInt(ItemSize::number).sum();
      case BS -> v.bs().stream().mapToInt(ItemSize::bytes).sum();
      case L -> 3 + v.l().stream().mapToInt(x -> 1 + value(x)).sum();
      case M -> 3 + v.m().entrySet().stream().mapToInt(x -> 1 + utf8(x.getKey()) + value(x.getValue())).sum();
      case UNKNOWN_TO_SDK_VERSION -> 0;
    };
  }

  /** Significant digits / 2 rounded up, plus one (DynamoDB's documented approximation). */
  static int number(String n) {
    String digits = n.replace("-", "").replace(".", "").replaceFirst("[eE].*$", "").replaceFirst("^0+", "");
    digits = digits.replaceFirst("0+$", "");
    return Math.max(1, (digits.length() + 1) / 2) + 1;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int bytes(SdkBytes b) {
    return b.asByteArray().length;
  }

  /** Write units of one item write: 1 per KB (rounded up), at least 1. */
  public static int writeUnits(int bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  /** Read units of reading {@code bytes} strongly consistently: 1 per 4 KB (rounded up), at least 1. */
  public static int readUnits(int bytes) {
    return Math.max(1, (bytes + 4095) / 4096);
  }
}
