package dev.goalpost.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.platform.Json;
import dev.goalpost.platform.http.FieldError;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContactChangesTest {

  private static ContactChanges parse(String json, Violations v) throws Exception {
    return ContactChanges.parse(Fields.ofBody(Json.read(json), v), ContactChanges.PATCH_FIELDS);
  }

  @Test
  void nullUnassignsAndAbsentLeavesTheAssignmentAlone() throws Exception {
    Violations v = new Violations();
    assertThat(parse("{\"assignedAgentId\":null}", v).assignedAgentId()).contains(Optional.empty());
    assertThat(parse("{\"assignedAgentId\":\"agent-1\"}", v).assignedAgentId()).contains(Optional.of("agent-1"));
    assertThat(parse("{\"firstName\":\"Ana\"}", v).assignedAgentId()).isEmpty();
    assertThat(v.isEmpty()).isTrue();
  }

  @Test
  void customFieldNamesAreNormalizedAndBlankValuesRemoveTheField() throws Exception {
    Violations v = new Violations();
    ContactChanges c = parse("{\"customFields\":{\"  home   county \":\"Travis\",\"shirt\":\"\"}}", v);
    assertThat(v.isEmpty()).isTrue();
    assertThat(c.customFields()).containsEntry("home county", "Travis").containsEntry("shirt", null);
  }

  @Test
  void tagsAreTrimmedAndDeduplicated() throws Exception {
    Violations v = new Violations();
    assertThat(parse("{\"tags\":[\" volunteer\",\"volunteer\",\"donor\"]}", v).tags())
        .contains(java.util.List.of("volunteer", "donor"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"customFields\":{\"First Name\":\"x\"}}|customFields.First Name",
      "{\"customFields\":{\"9lives\":\"x\"}}|customFields.9lives",
      "{\"customFields\":{\"county\":{\"a\":1}}}|customFields.county",
      "{\"tags\":[\"\"]}|tags[0]",
      "{\"tags\":[\"a\"],\"addTags\":[\"b\"]}|tags",
      "{\"assignedAgentId\":\"  \"}|assignedAgentId",
      "{\"optedOut\":\"yes\"}|optedOut",
      "{\"phone\":\"+15125550101\"}|phone",
      "{\"timeZone\":\"Eastern\"}|timeZone",
      "{\"timeZone\":\"+05:00\"}|timeZone",
      "{\"timeZone\":5}|timeZone",
      "{\"customFields\":{\"timeZone\":\"Mars/Olympus\"}}|customFields.timeZone",
      "{\"timeZone\":\"America/Chicago\",\"customFields\":{\"timeZone\":\"America/Chicago\"}}|customFields.timeZone",
  })
  void everyBrokenRuleNamesItsField(String json, String field) throws Exception {
    Violations v = new Violations();
    parse(json, v);
    assertThat(v.list()).extracting(FieldError::field).containsExactly(field);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"timeZone\":\"America/Los_Angeles\"}|America/Los_Angeles",
      "{\"timeZone\":\" america/new_york \"}|America/New_York",   // any case, trimmed: stored canonical
      "{\"customFields\":{\"timeZone\":\"America/Denver\"}}|America/Denver", // the old way of giving it
      "{\"timeZone\":null}|-",                                      // forget it: the number decides again
      "{\"timeZone\":\"\"}|-"})
  void aContactsZoneIsAnIanaIdInItsCanonicalSpelling(String json, String zone) throws Exception {
    Violations v = new Violations();
    ContactChanges c = parse(json, v);
    assertThat(v.list()).isEmpty();
    assertThat(c.timeZone()).contains(zone.equals("-") ? Optional.empty() : Optional.of(zone));
    assertThat(c.customFields()).doesNotContainKey("timeZone");
    assertThat(c.isEmpty()).isFalse();
  }

  @Test
  void aChangeWithoutAZoneLeavesItAlone() throws Exception {
    Violations v = new Violations();
    assertThat(parse("{\"firstName\":\"Ana\"}", v).timeZone()).isEmpty();
  }
}
