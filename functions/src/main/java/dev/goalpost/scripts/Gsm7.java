package dev.goalpost.scripts;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The GSM 03.38 / 3GPP TS 23.038 default alphabet and its extension table. A text made only of these characters
 * is sent as GSM-7; one character outside them turns the whole message into UCS-2, which is why editors want to
 * know which characters are to blame ({@link #offending(String)}).
 */
public final class Gsm7 {
  /**
   * The basic table in code-point order, 16 per row (0x00–0x7F). 0x1B is the escape to the extension table, not a
   * character, so it is left out: 127 characters. Note 0x09 is capital Ç; lower-case ç is not in the alphabet.
   */
  private static final String BASIC = ""
      + "@£$¥èéùìòÇ\nØø\rÅå"
      + "Δ_ΦΓΛΩΠΨΣΘΞ" /* 0x1B escape */ + "ÆæßÉ"
      + " !\"#¤%&'()*+,-./"
      + "0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNO"
      + "PQRSTUVWXYZÄÖÑÜ§"
      + "¿abcdefghijklmno"
      + "pqrstuvwxyzäöñüà";

  /** The extension table: each is sent as escape + character, so it costs two septets. */
  private static final String EXTENSION = "\f^{}\\[~]|€";

  private Gsm7() {}

  /** Whether the code point is in the basic table (one septet). */
  public static boolean isBasic(int codePoint) {
    return codePoint <= Character.MAX_VALUE && BASIC.indexOf(codePoint) >= 0;
  }

  /** Whether the code point is in the extension table (two septets). */
  public static boolean isExtension(int codePoint) {
    return codePoint <= Character.MAX_VALUE && EXTENSION.indexOf(codePoint) >= 0;
  }

  /** Whether the code point can be sent in GSM-7 at all. */
  public static boolean isGsm7(int codePoint) {
    return isBasic(codePoint) || isExtension(codePoint);
  }

  /** Septets the code point costs in GSM-7: 1 or 2, or 0 when it cannot be sent in GSM-7. */
  public static int septets(int codePoint) {
    if (isBasic(codePoint)) {
      return 1;
    }
    return isExtension(codePoint) ? 2 : 0;
  }

  /** The distinct characters of {@code text} that force UCS-2, in order of first appearance. */
  public static List<String> offending(String text) {
    Set<String> out = new LinkedHashSet<>();
    text.codePoints().filter(cp -> !isGsm7(cp)).forEach(cp -> out.add(Character.toString(cp)));
    return List.copyOf(out);
  }

  /** Number of characters in the basic table; exposed so a test can prove the table is complete. */
  static int basicSize() {
    return BASIC.length();
  }
}
