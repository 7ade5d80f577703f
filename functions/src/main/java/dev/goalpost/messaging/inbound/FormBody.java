package dev.goalpost.messaging.inbound;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@code application/x-www-form-urlencoded} body (how Twilio posts webhooks) into names and values:
 * pairs split on '&', name and value on the first '=', '+' is a space, %XX is a byte, and the bytes are UTF-8.
 *
 * <p>Unlike {@link java.net.URLDecoder}, which throws IllegalArgumentException on a bad escape and silently
 * replaces invalid UTF-8 with U+FFFD, this refuses both with a {@link MalformedWebhook}: a replaced character
 * would change what the signature covers, and an unchecked exception would turn a bad request into a 500.
 *
 * <p>Empty pairs ("a=1&&b=2", a trailing '&') are skipped; a pair without '=' is a name with an empty value.
 * Repeated names keep every value, in order. The map keeps the order names first appeared.
 */
public final class FormBody {
  private FormBody() {}

  public static Map<String, List<String>> parse(String body) throws MalformedWebhook {
    if (body == null) {
      throw new MalformedWebhook("body", "is required (an application/x-www-form-urlencoded body)");
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    int start = 0;
    while (start <= body.length()) {
      int end = body.indexOf('&', start);
      if (end < 0) {
        end = body.length();
      }
      if (end > start) {
        int eq = indexOf(body, '=', start, end);
        String name;
        String value;
        if (eq < 0) {
          name = decode(body, start, end);
          value = "";
        } else {
          name = decode(body, start, eq);
          value = decode(body, eq + 1, end);
        }
        params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
      }
      start = end + 1;
    }
    params.replaceAll((name, values) -> Collections.unmodifiableList(values));
    return Collections.unmodifiableMap(params);
  }

  private static String decode(String body, int from, int to) throws MalformedWebhook {
    // Fast path: nothing to decode (surrogates take the slow path, which checks they are paired).
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = body.charAt(i);
      plain = c != '%' && c != '+' && !Character.isSurrogate(c);
    }
    if (plain) {
      return body.substring(from, to);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = body.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int hi = i + 1 < to ? Character.digit(body.charAt(i + 1), 16) : -1;
        int lo = i + 2 < to ? Character.digit(body.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0 || !isAsciiHex(body.charAt(i + 1)) || !isAsciiHex(body.charAt(i + 2))) {
          throw new MalformedWebhook("body",
              "has a malformed percent-escape at offset " + i + " ('%' must be followed by two hex digits)");
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        // Raw non-ASCII text in the body (not percent-encoded): keep it, as UTF-8 bytes.
        int cp = body.codePointAt(i);
        if (Character.isSurrogate(c) && Character.charCount(cp) == 1) {
          throw new MalformedWebhook("body", "has an unpaired surrogate at offset " + i);
        }
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedWebhook("body", "has percent-escapes that are not UTF-8 near offset " + from);
    }
  }

  /** Searches only inside the pair, so a body of many '&' and no '=' stays linear. */
  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  /** Character.digit also accepts non-ASCII digits (e.g. fullwidth '１'); an escape must be ASCII. */
  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
