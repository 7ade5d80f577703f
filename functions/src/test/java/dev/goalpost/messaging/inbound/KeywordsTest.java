package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.messaging.inbound.Keywords.Keyword;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class KeywordsTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      "STOP|STOP", "STOPALL|STOP", "UNSUBSCRIBE|STOP", "CANCEL|STOP", "END|STOP", "QUIT|STOP",
      "OPT-OUT|STOP", "OPT OUT|STOP",
      "START|START", "UNSTOP|START",
      "HELP|HELP"})
  void recognizesEachKeywordOfTheSpec(String body, Keyword keyword) {
    assertThat(Keywords.classify(body)).contains(keyword);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"stop", "Stop", "sToP", "  STOP  ", "\tstop\n", "opt-out", "Opt Out", "stopall",
      "unsubscribe", "Cancel", "end", "quit"})
  void ignoresCaseAndSurroundingWhitespace(String body) {
    assertThat(Keywords.classify(body)).contains(Keyword.STOP);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"STOP.", "Stop!", "stop!!!", "STOP?", "\"STOP\"", "'stop'", "“Stop”", "(stop)",
      "Stop 🛑", "🛑 STOP", "...stop...", "Opt-out.", "OPT OUT!", "OPT   OUT", "Opt–Out", "OPT—OUT", "ＳＴＯＰ",
      "STOP\u200B", "\u00A0stop\u00A0", "Quit."})
  void treatsAKeywordWithPunctuationAroundItAsTheKeyword(String body) {
    assertThat(Keywords.classify(body)).contains(Keyword.STOP);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"Start!", "unstop.", "Help?", "HELP!!"})
  void treatsPunctuatedOptInAndHelpTheSameWay(String body) {
    assertThat(Keywords.classify(body)).isPresent();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"Please stop texting me", "stop it", "STOP STOP", "stop please", "I want to cancel",
      "STOPPED", "nonstop", "STOP2", "S T O P", "OPTOUT", "OPT_OUT", "OPT-OUT-NOW", "The end", "help me",
      "Start over", "yes", "REVOKE", "stop, please", "stop.please"})
  void doesNotTreatASentenceOrAnotherWordAsAKeyword(String body) {
    assertThat(Keywords.classify(body)).isEmpty();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "!!!", "🛑"})
  void findsNoKeywordInAnEmptyMessage(String body) {
    assertThat(Keywords.classify(body)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void findsAKeywordPaddedWithThousandsOfSpacesOrMarks() {
    assertThat(Keywords.classify("STOP" + " ".repeat(10_000))).contains(Keyword.STOP);
    assertThat(Keywords.classify("!".repeat(5_000) + "stop" + "!".repeat(5_000))).contains(Keyword.STOP);
  }
}
