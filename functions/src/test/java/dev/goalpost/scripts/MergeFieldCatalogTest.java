package dev.goalpost.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class MergeFieldCatalogTest {

  @Test
  void knowsTheBuiltInsFirstThenGoalDatesThenCustomFields() {
    MergeFieldCatalog catalog = MergeFieldCatalog.builtIns()
        .withDateField("Shift Date").withTimeField("shift time").withCustomFields(List.of("County", "Precinct  ID"));

    assertThat(catalog.keys()).containsExactly(
        "first name", "last name", "agent name", "group name", "shift date", "shift time", "county", "precinct id");
    assertThat(catalog.kindOf("SHIFT DATE")).contains(MergeFieldKind.DATE);
    assertThat(catalog.kindOf("shift time")).contains(MergeFieldKind.TIME);
    assertThat(catalog.kindOf("precinct id")).contains(MergeFieldKind.CUSTOM);
    assertThat(catalog.knows("event date")).isFalse();
  }

  @Test
  void aCustomFieldCannotShadowABuiltIn() {
    MergeFieldCatalog catalog = MergeFieldCatalog.builtIns().withCustomFields(List.of("First Name"));

    assertThat(catalog.kindOf("first name")).contains(MergeFieldKind.CONTACT_NAME);
    assertThat(catalog.keys()).hasSize(4);
  }

  @Test
  void addingReturnsANewCatalogAndLeavesTheOldOneAlone() {
    MergeFieldCatalog builtIns = MergeFieldCatalog.builtIns();

    builtIns.withCustomFields(List.of("county"));

    assertThat(builtIns.knows("county")).isFalse();
  }

  @Test
  void aFieldNeedsAName() {
    assertThatIllegalArgumentException().isThrownBy(() -> MergeFieldCatalog.builtIns().withCustomFields(List.of("  ")));
  }

  @Test
  void keysAreTrimmedSingleSpacedAndLowerCase() {
    assertThat(MergeFieldCatalog.key("  Event \t\u00A0 TIME ")).isEqualTo("event time");
  }
}
