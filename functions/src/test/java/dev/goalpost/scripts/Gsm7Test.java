package dev.goalpost.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Gsm7Test {

  @Test
  void theBasicTableHas127DistinctCharactersBesidesTheEscape() {
    // 128 positions, one of which (0x1B) is the escape; a missing or duplicated character changes these numbers.
    assertThat(Gsm7.basicSize()).isEqualTo(127);
    long distinctBasic = java.util.stream.IntStream.range(0, 0x10000).filter(Gsm7::isBasic).count();
    assertThat(distinctBasic).isEqualTo(127);
  }

  @ParameterizedTest
  @ValueSource(strings = {"@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å", "Δ", "_",
      "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "Æ", "æ", "ß", "É", " ", "!", "\"", "#", "¤", "%", "&", "'",
      "(", ")", "*", "+", ",", "-", ".", "/", "0", "9", ":", ";", "<", "=", ">", "?", "¡", "A", "Z", "Ä", "Ö",
      "Ñ", "Ü", "§", "¿", "a", "z", "ä", "ö", "ñ", "ü", "à"})
  void basicCharactersCostOneSeptet(String c) {
    assertThat(Gsm7.septets(c.codePointAt(0))).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"})
  void extensionCharactersCostTwoSeptets(String c) {
    assertThat(Gsm7.septets(c.codePointAt(0))).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"`", "ç", "á", "í", "ó", "ú", "Ã", "\u001B", "\t", "“", "’", "—", "…", "😀", "\uFF04"})
  void charactersOutsideTheAlphabetCannotBeSentInGsm7(String c) {
    // U+FF04 FULLWIDTH DOLLAR SIGN looks like '$' but is not in the alphabet.
    assertThat(Gsm7.isGsm7(c.codePointAt(0))).isFalse();
  }

  @Test
  void namesTheCharactersThatForceUcs2OncePerCharacter() {
    assertThat(Gsm7.offending("“Hi” — it’s “us” 😀")).containsExactly("“", "”", "—", "’", "😀");
  }
}
