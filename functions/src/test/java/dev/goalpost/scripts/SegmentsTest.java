package dev.goalpost.scripts;

import static dev.goalpost.scripts.Encoding.GSM7;
import static dev.goalpost.scripts.Encoding.UCS2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expected values are worked out by hand from 3GPP TS 23.038: GSM-7 160 alone / 153 per part, UCS-2 70 / 67,
 * an extension character (escape + char) or a surrogate pair never split across parts.
 */
class SegmentsTest {
  private static final String EURO = "€";
  private static final String EMOJI = "😀"; // U+1F600, outside the BMP: a surrogate pair
  private static final String CURLY = "“"; // U+201C, not in GSM-7

  private static String a(int n) {
    return "a".repeat(n);
  }

  static Stream<Arguments> vectors() {
    return Stream.of(
        // --- GSM-7, plain septets
        Arguments.of("empty text is nothing to send", "", GSM7, 0, 0),
        Arguments.of("one letter", "a", GSM7, 1, 1),
        Arguments.of("160 fit one part", a(160), GSM7, 160, 1),
        Arguments.of("161 split: 153 + 8", a(161), GSM7, 161, 2),
        Arguments.of("306 = 2 x 153", a(306), GSM7, 306, 2),
        Arguments.of("307 = 2 x 153 + 1", a(307), GSM7, 307, 3),
        Arguments.of("459 = 3 x 153", a(459), GSM7, 459, 3),
        Arguments.of("460 = 3 x 153 + 1", a(460), GSM7, 460, 4),
        // --- GSM-7 extension characters cost 2 septets
        Arguments.of("euro alone is 2 septets", EURO, GSM7, 2, 1),
        Arguments.of("158 + euro = 160 septets, one part", a(158) + EURO, GSM7, 160, 1),
        Arguments.of("159 + euro = 161 septets: 153 | 6 + 2", a(159) + EURO, GSM7, 161, 2),
        Arguments.of("160 + euro = 162 septets: 153 | 7 + 2", a(160) + EURO, GSM7, 162, 2),
        Arguments.of("euro at 159-160 of 160 septets", a(158) + EURO, GSM7, 160, 1),
        Arguments.of("every extension char: 10 x 2", "\f^{}\\[~]|€", GSM7, 20, 1),
        // 151 + 2 = 153 fills part 1 exactly; 153 more fill part 2.
        Arguments.of("euro ending exactly at 153", a(151) + EURO + a(153), GSM7, 306, 2),
        // 152 + euro would be 154 > 153: euro moves; part 2 = 2 + 151 = 153; the last 'a' needs part 3.
        Arguments.of("euro straddling 153 moves to part 2", a(152) + EURO + a(152), GSM7, 306, 3),
        Arguments.of("80 euros = 160 septets, one part", EURO.repeat(80), GSM7, 160, 1),
        // 76 euros (152 septets) per part: 76 + 5.
        Arguments.of("81 euros = 162 septets: 76 | 5 euros", EURO.repeat(81), GSM7, 162, 2),
        // 153 euros = 306 septets but 76 + 76 + 1 euros.
        Arguments.of("153 euros need 3 parts, not 2", EURO.repeat(153), GSM7, 306, 3),
        // --- alphabet corner cases
        Arguments.of("capital C-cedilla is GSM-7", "Ç", GSM7, 1, 1),
        Arguments.of("small c-cedilla is not", "ç", UCS2, 1, 1),
        Arguments.of("curly quotes force UCS-2", "Hi " + CURLY + "you”", UCS2, 8, 1),
        Arguments.of("euro in a UCS-2 text is one unit", EURO + "ç", UCS2, 2, 1),
        // --- UCS-2
        Arguments.of("70 units fit one part", "ç" + a(69), UCS2, 70, 1),
        Arguments.of("71 split: 67 + 4", "ç" + a(70), UCS2, 71, 2),
        Arguments.of("134 = 2 x 67", "ç" + a(133), UCS2, 134, 2),
        Arguments.of("135 = 2 x 67 + 1", "ç" + a(134), UCS2, 135, 3),
        Arguments.of("160 GSM-length text with one curly quote: 3 parts", CURLY + a(159), UCS2, 160, 3),
        Arguments.of("emoji is 2 units", EMOJI, UCS2, 2, 1),
        Arguments.of("35 emoji = 70 units, one part", EMOJI.repeat(35), UCS2, 70, 1),
        // 33 emoji (66 units) per part; the 34th would straddle 67.
        Arguments.of("36 emoji = 72 units: 33 | 3 emoji", EMOJI.repeat(36), UCS2, 72, 2),
        Arguments.of("67 emoji = 134 units need 3 parts, not 2", EMOJI.repeat(67), UCS2, 134, 3),
        // 65 + 2 = 67 fills part 1 exactly; 67 more fill part 2.
        Arguments.of("emoji ending exactly at 67", a(65) + EMOJI + a(67), UCS2, 134, 2),
        // 66 + emoji would be 68 > 67: emoji moves; part 2 = 2 + 65 = 67; the last 'a' needs part 3.
        Arguments.of("emoji straddling 67 moves to part 2", a(66) + EMOJI + a(66), UCS2, 134, 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void countsSegmentsLikeCarriers(String what, String text, Encoding encoding, int units, int segments) {
    assertThat(Segments.count(text)).isEqualTo(new SegmentCount(encoding, units, segments));
  }

  @Test
  void aEuroSignCostsTwoSeptets() {
    assertThat(Segments.count("€5").units()).isEqualTo(3);
  }

  @Test
  void nullTextIsAProgrammingError() {
    assertThatNullPointerException().isThrownBy(() -> Segments.count(null));
  }
}
