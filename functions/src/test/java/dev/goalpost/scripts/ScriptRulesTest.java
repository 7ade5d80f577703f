package dev.goalpost.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptRulesTest {
  private static final MergeFieldCatalog CATALOG = MergeFieldCatalog.builtIns()
      .withDateField("event date").withTimeField("event time").withCustomFields(List.of("unsubscribe link"));
  private static final String OPT_OUT = "Reply STOP to opt out "; // 22 characters

  private static List<ScriptProblem> validate(ScriptKind kind, String body) {
    return ScriptRules.validate(kind, body, CATALOG);
  }

  @ParameterizedTest
  @EnumSource(ScriptKind.class)
  void aTypicalScriptWithOptOutLanguageIsValidForEveryKind(ScriptKind kind) {
    assertThat(validate(kind, "Hi <first name|friend>, it's <agent name>! See you <event date> at <event time>. "
        + "Reply STOP to opt out")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = ScriptKind.class, names = {"INITIAL", "REMINDER"})
  void initialAndReminderScriptsNeedOptOutLanguage(ScriptKind kind) {
    assertThat(validate(kind, "Hi <first name>, see you Saturday!")).containsExactly(new ScriptProblem(
        "optOutLanguage", "needs opt-out language such as 'Reply STOP to opt out'; "
            + kind.label() + " must tell contacts how to stop receiving texts"));
  }

  @ParameterizedTest
  @EnumSource(value = ScriptKind.class, names = {"RESPONSE", "ADDITIONAL_RESPONSE", "AGENT"})
  void repliesInsideAConversationNeedNoOptOutLanguage(ScriptKind kind) {
    assertThat(validate(kind, "Great, see you Saturday!")).isEmpty();
  }

  @Test
  void aMergeFieldNamedLikeOptOutLanguageDoesNotCount() {
    assertThat(validate(ScriptKind.INITIAL, "Hi! <unsubscribe link>"))
        .extracting(ScriptProblem::rule).containsExactly("optOutLanguage");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\n"})
  void aScriptNeedsABody(String body) {
    assertThat(validate(ScriptKind.RESPONSE, body)).containsExactly(
        new ScriptProblem("required", "is empty; write the message contacts will receive"));
  }

  @Test
  void anInitialScriptMayBe57SegmentsAtWorstCase() {
    // 22 + 8679 letters + a 20-character first name = 8721 septets = 57 x 153.
    assertThat(validate(ScriptKind.INITIAL, OPT_OUT + "a".repeat(8679) + "<first name>")).isEmpty();
  }

  @Test
  void anInitialScriptOf58SegmentsAtWorstCaseIsRejected() {
    // 22 + 8680 + 20 = 8722 septets: one more than 57 parts carry. The body itself is only 8714 characters.
    assertThat(validate(ScriptKind.INITIAL, OPT_OUT + "a".repeat(8680) + "<first name>")).containsExactly(
        new ScriptProblem("maxSegments",
            "is 58 segments at worst case (8722 GSM-7 septets); initial scripts may be at most 57"));
  }

  @Test
  void aReminderMayBe500CharactersAsWritten() {
    // 22 + 478 = 500; the worst case would be longer, but reminders are limited as written.
    assertThat(validate(ScriptKind.REMINDER, OPT_OUT + "a".repeat(466) + "<first name>")).isEmpty();
  }

  @Test
  void aReminderOf501CharactersIsRejected() {
    assertThat(validate(ScriptKind.REMINDER, OPT_OUT + "a".repeat(479))).containsExactly(
        new ScriptProblem("maxCharacters", "is 501 characters; reminder scripts may be at most 500"));
  }

  @Test
  void reminderCharactersAreCodePointsSoAnEmojiCountsOnce() {
    // 22 + 477 + 1 emoji = 500 characters (501 UTF-16 code units).
    assertThat(validate(ScriptKind.REMINDER, OPT_OUT + "a".repeat(477) + "😀")).isEmpty();
  }

  @Test
  void aResponseMayBeTenSegments() {
    // 10 x 153 = 1530 septets.
    assertThat(validate(ScriptKind.RESPONSE, "a".repeat(1530))).isEmpty();
  }

  @Test
  void aResponseOfElevenSegmentsIsRejected() {
    assertThat(validate(ScriptKind.AGENT, "a".repeat(1531))).containsExactly(new ScriptProblem("maxSegments",
        "is 11 segments at worst case (1531 GSM-7 septets); agent scripts may be at most 10"));
  }

  @Test
  void aSegmentProblemNamesTheCharactersThatForceUcs2() {
    // 1 curly quote + 670 letters = 671 UCS-2 units; ten parts carry 670.
    assertThat(validate(ScriptKind.RESPONSE, "“" + "a".repeat(670))).containsExactly(new ScriptProblem(
        "maxSegments", "is 11 segments at worst case (671 UCS-2 characters, 67 per segment, because of '“'); "
            + "response scripts may be at most 10"));
  }

  @Test
  void anyScriptIsCappedAt8721Characters() {
    assertThat(validate(ScriptKind.REMINDER, OPT_OUT + "a".repeat(8700))).containsExactly(
        new ScriptProblem("maxCharacters", "is 8722 characters; scripts may be at most 8721"));
  }

  @Test
  void unknownMergeFieldsAreRejectedWithTheirPosition() {
    assertThat(validate(ScriptKind.RESPONSE, "Your size is: <shirt size>")).containsExactly(new ScriptProblem(
        "mergeFields", "unknown merge field <shirt size> at position 14; known fields: <first name>, <last name>, "
            + "<agent name>, <group name>, <event date>, <event time>, <unsubscribe link>"));
  }

  @Test
  void everyBrokenRuleIsReportedAtOnce() {
    assertThat(validate(ScriptKind.INITIAL, "Hi <nickname> <first name"))
        .extracting(ScriptProblem::rule).containsExactly("mergeFields", "mergeFields", "optOutLanguage");
  }
}
