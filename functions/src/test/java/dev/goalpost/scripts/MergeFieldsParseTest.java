package dev.goalpost.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.scripts.ScriptPart.Field;
import dev.goalpost.scripts.ScriptPart.Literal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergeFieldsParseTest {
  private static final MergeFieldCatalog CATALOG = MergeFieldCatalog.builtIns()
      .withDateField("event date").withTimeField("event time").withCustomFields(List.of("County"));

  @Test
  void splitsABodyIntoLiteralsAndFieldsWithTheirFallback() {
    ParsedScript parsed = MergeFields.parse("Hi <first name|friend>!", CATALOG);

    assertThat(parsed.parts()).containsExactly(
        new Literal("Hi "),
        new Field("first name", Optional.of("friend"), 3, "<first name|friend>"),
        new Literal("!"));
    assertThat(parsed.isValid()).isTrue();
  }

  @ParameterizedTest(name = "{0} is <{1}>")
  @CsvSource(delimiter = ';', value = {
      "<first name>; first name",
      "<First Name>; first name",
      "<  FIRST    name >; first name",
      "<first\u00A0name>; first name",
      "<COUNTY>; county",
      "<Event  Date|soon>; event date",
  })
  void namesMatchWhateverTheirCaseAndSpacing(String body, String key) {
    ParsedScript parsed = MergeFields.parse(body, CATALOG);

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.fieldKeys()).containsExactly(key);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "<first name|friend>; friend",
      "<first name| dear friend >; dear friend",
      "<first name|a|b>; a|b",
  })
  void theFallbackIsEverythingAfterTheFirstBarTrimmed(String body, String fallback) {
    Field field = (Field) MergeFields.parse(body, CATALOG).parts().getFirst();

    assertThat(field.fallback()).contains(fallback);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {"<first name>", "<first name|>", "<first name|   >"})
  void aMissingOrBlankFallbackIsNoFallback(String body) {
    Field field = (Field) MergeFields.parse(body, CATALOG).parts().getFirst();

    assertThat(field.fallback()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', value = {
      "I <<3 you; I <3 you",
      "a <<<< b; a << b",
      "x >= 5 > y; x >= 5 > y",
      "<<first name>; <first name>",
  })
  void aDoubledBracketIsALiteralBracket(String body, String text) {
    ParsedScript parsed = MergeFields.parse(body, CATALOG);

    assertThat(parsed.parts()).containsExactly(new Literal(text));
    assertThat(parsed.problems()).isEmpty();
  }

  @Test
  void aDoubledBracketBeforeAFieldKeepsTheField() {
    ParsedScript parsed = MergeFields.parse("<<<first name>", CATALOG);

    assertThat(parsed.parts()).containsExactly(
        new Literal("<"), new Field("first name", Optional.empty(), 2, "<first name>"));
    assertThat(parsed.problems()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "Hi <first name, welcome; 3",
      "x < 5; 2",
      "Hi <; 3",
      "a < b <first name>; 2",
  })
  void aBracketThatIsNotClosedIsAProblemAtItsPosition(String body, int position) {
    ParsedScript parsed = MergeFields.parse(body, CATALOG);

    assertThat(parsed.problems()).containsExactly(new MergeFieldProblem(position, "",
        "unclosed merge field at position " + position
            + "; close it with '>' on the same line, like <first name>, or write << for a literal <"));
  }

  @Test
  void aFieldCannotSpanALineBreak() {
    ParsedScript parsed = MergeFields.parse("Hi <first\nname>", CATALOG);

    assertThat(parsed.problems()).extracting(MergeFieldProblem::position).containsExactly(3);
    assertThat(parsed.literalText()).isEqualTo("Hi <first\nname>");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {"Hi <>; <>", "Hi <   >; <   >", "Hi <|friend>; <|friend>"})
  void aFieldWithoutANameIsAProblem(String body, String written) {
    ParsedScript parsed = MergeFields.parse(body, CATALOG);

    assertThat(parsed.problems()).containsExactly(new MergeFieldProblem(3, "",
        "empty merge field " + written + " at position 3; name a field, like <first name>, or write << for a literal <"));
  }

  @Test
  void anUnknownFieldIsAProblemThatListsTheKnownFields() {
    // "Your size is: " is 14 characters, so the '<' is at index 14.
    ParsedScript parsed = MergeFields.parse("Your size is: <Shirt Size|M>.", CATALOG);

    assertThat(parsed.problems()).containsExactly(new MergeFieldProblem(14, "shirt size",
        "unknown merge field <Shirt Size|M> at position 14; known fields: <first name>, <last name>, "
            + "<agent name>, <group name>, <event date>, <event time>, <county>"));
  }

  @Test
  void withoutACatalogAnyNameIsAccepted() {
    assertThat(MergeFields.parse("Hi <shirt size>").problems()).isEmpty();
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() {
    ParsedScript parsed = MergeFields.parse("<nope> <> <open", CATALOG);

    assertThat(parsed.problems()).extracting(MergeFieldProblem::position).containsExactly(0, 7, 10);
  }
}
