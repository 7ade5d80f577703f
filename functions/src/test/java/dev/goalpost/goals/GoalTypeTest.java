package dev.goalpost.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.scripts.ScriptKind;
import dev.goalpost.scripts.ScriptRules;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class GoalTypeTest {

  @ParameterizedTest
  @EnumSource(GoalType.class)
  void everyTypesStarterScriptPassesTheInitialScriptRules(GoalType type) {
    var catalog = ScriptCheck.catalog(type, Set.of());
    assertThat(ScriptRules.validate(ScriptKind.INITIAL, type.defaultInitialScript(), catalog)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"event, EVENT", "GOTV, TARGET_DATE", " target_date , TARGET_DATE", "Shift, SHIFT"})
  void typesAreReadCaseInsensitivelyAndGotvMeansTargetDate(String raw, GoalType expected) {
    assertThat(GoalType.parse(raw)).contains(expected);
  }

  @ParameterizedTest
  @EnumSource(value = GoalType.class, names = {"EVENT", "SHIFT"})
  void aDateOfAnotherTypeIsNotAMergeFieldOfThisOne(GoalType type) {
    var catalog = ScriptCheck.catalog(type, Set.of());
    assertThat(ScriptRules.validate(ScriptKind.INITIAL, "See you <target date>. Reply STOP to opt out", catalog))
        .extracting("rule").containsExactly(ScriptRules.MERGE_FIELDS);
  }
}
