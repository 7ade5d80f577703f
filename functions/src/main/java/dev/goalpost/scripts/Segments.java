package dev.goalpost.scripts;

import java.util.Objects;

/**
 * Counts SMS segments exactly as carriers do (3GPP TS 23.038).
 *
 * <p>Splitting never cuts a character in two: a GSM-7 extension character (escape + character) or a UCS-2
 * surrogate pair (a character outside the BMP, such as most emoji) that would straddle a part boundary moves
 * whole to the next part. So a split message can need more parts than {@code ceil(units / perPart)}.
 *
 * <p>Empty text is 0 units and 0 segments: nothing is sent, so nothing is billed. Callers that send or save
 * scripts reject empty text before it gets here.
 */
public final class Segments {
  private Segments() {}

  public static SegmentCount count(String text) {
    Objects.requireNonNull(text, "text");
    if (text.codePoints().allMatch(Gsm7::isGsm7)) {
      return pack(Encoding.GSM7, text.codePoints().map(Gsm7::septets).toArray());
    }
    return pack(Encoding.UCS2, text.codePoints().map(Character::charCount).toArray());
  }

  /** Fills parts in order with indivisible characters of the given unit costs. */
  private static SegmentCount pack(Encoding encoding, int[] costs) {
    int units = 0;
    for (int cost : costs) {
      units += cost;
    }
    if (units == 0) {
      return new SegmentCount(encoding, 0, 0);
    }
    if (units <= encoding.singlePart()) {
      return new SegmentCount(encoding, units, 1);
    }
    int segments = 1;
    int used = 0;
    for (int cost : costs) {
      if (used + cost > encoding.perPartWhenSplit()) {
        segments++;
        used = 0;
      }
      used += cost;
    }
    return new SegmentCount(encoding, units, segments);
  }
}
