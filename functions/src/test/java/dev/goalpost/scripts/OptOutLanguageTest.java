package dev.goalpost.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptOutLanguageTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "Hi Ann! Reply STOP to opt out",
      "reply stop",
      "Reply STOP.",
      "Text STOP to quit",
      "Txt STOP to end",
      "Reply 'STOP' to end",
      "Reply “STOP” to end",
      "Reply \"stop\"",
      "Reply: STOP",
      "Reply with STOP",
      "Text back STOP",
      "Send STOPALL",
      "Reply UNSUBSCRIBE",
      "Reply CANCEL",
      "Reply END",
      "Reply QUIT",
      "Reply OPT-OUT",
      "Reply OPT OUT",
      "STOP2END",
      "stop=end",
      "Stop = End",
      "STOP 2 quit",
      "STOP to end",
      "STOP to opt out",
      "STOP to unsubscribe",
      "To opt out, just let us know",
      "Opt-out: reply STOP",
      "optout anytime",
      "Unsubscribe anytime",
      "Responde STOP para cancelar",
  })
  void recognizesInstructionsToOptOut(String body) {
    assertThat(OptOutLanguage.contains(body)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Hi Ann! See you Saturday",
      "We stopped by your house",
      "An unstoppable team!",
      "Nonstop fun",
      "Don't stop believing",
      "We can't stop now",
      "Reply YES to confirm",
      "Text us back anytime",
      "The end is near",
      "Weekend plans?",
      "Cancel your plans and come",
      "Reply STOPPED",
      "Send end-of-year report",
      "We opted out of nothing",
      "We adopt out kittens",
      "Reply with your ZIP code to stop by",
      "",
  })
  void ignoresWordsThatOnlyLookLikeOptOutLanguage(String body) {
    assertThat(OptOutLanguage.contains(body)).isFalse();
  }
}
