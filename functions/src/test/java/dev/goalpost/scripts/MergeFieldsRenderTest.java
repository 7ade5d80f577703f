package dev.goalpost.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergeFieldsRenderTest {

  /** Renders with first/last name values; a null value means the contact has none. */
  private static String render(String body, String first, String last) {
    Map<String, String> values = new HashMap<>();
    values.put("first name", first);
    values.put("last name", last);
    return MergeFields.render(MergeFields.parse(body), key -> Optional.ofNullable(values.get(key)));
  }

  @ParameterizedTest(name = "[{0}] first=[{1}] last=[{2}] -> [{3}]")
  @CsvSource(delimiter = ';', value = {
      // body; first name; last name; sent text
      "Hi <first name|friend>!; Ann; ; Hi Ann!",
      "Hi <First  Name|friend>!; Ann; ; Hi Ann!",
      "Hi <first name|friend>!; ; ; Hi friend!",
      "Hi <first name|friend>!; '   '; ; Hi friend!",
      "Hi <first name|friend>!; ' Ann '; ; Hi Ann!",
      "Hi <first name> <last name>!; Ann; Lee; Hi Ann Lee!",
      "Hi <first name> <last name>!; ; Lee; Hi Lee!",
      "Hi <first name> <last name> there; ; ; Hi there",
      "<first name> here; ; ; here",
      "Hi <first name>, hello; ; ; 'Hi , hello'",
      "Hi <first name>; ; ; 'Hi '",
      "I <<3 <first name>; Ann; ; I <3 Ann",
      "Hi <first name>!; <b>; ; Hi <b>!",
      "Hi <nickname|pal>; Ann; ; Hi pal",
  })
  void fillsFieldsFromValuesThenFallbacksThenNothing(String body, String first, String last, String sent) {
    assertThat(render(body, first, last)).isEqualTo(sent);
  }

  @Test
  void anEmptyFieldAtTheStartOfALineDoesNotLeaveALeadingSpace() {
    assertThat(render("Hello!\n<first name> we miss you", null, null)).isEqualTo("Hello!\nwe miss you");
  }

  @Test
  void aFilledFieldKeepsTheSpaceAfterIt() {
    assertThat(render("<first name> <last name>", "Ann", null)).isEqualTo("Ann ");
  }
}
