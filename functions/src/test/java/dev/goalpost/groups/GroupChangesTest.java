package dev.goalpost.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.platform.Json;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.FieldError;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupChangesTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  private static List<FieldError> errorsOf(String json) {
    Violations v = new Violations();
    try {
      GroupChanges.parse(Fields.ofBody(Json.read(json), v));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return v.list();
  }

  @Test
  void aNewGroupGetsTheDefaultsOfEverySettingNotGiven() throws Exception {
    Violations v = new Violations();
    Group g = GroupChanges.parse(Fields.ofBody(Json.read(
            "{\"name\":\" Austin \",\"timeZone\":\"America/Chicago\",\"phoneNumbers\":[\"+15125550100\"]}"), v))
        .create("org1", "grp_1", NOW, v);
    assertThat(v.isEmpty()).isTrue();
    assertThat(g.name()).isEqualTo("Austin");
    assertThat(g.hoursOfOperation()).isEqualTo(new HoursOfOperation(LocalTime.of(8, 0), LocalTime.of(20, 0)));
    assertThat(g.unreadClaimMinutes()).isEqualTo(GroupLimits.UNREAD_CLAIM_MINUTES_DEFAULT);
    assertThat(g.responseWindowMinutes()).isEqualTo(GroupLimits.RESPONSE_WINDOW_MINUTES_DEFAULT);
    assertThat(g.dailySegmentCap()).isEqualTo(GroupLimits.DAILY_SEGMENT_CAP_DEFAULT);
  }

  @Test
  void creatingWithoutTheRequiredFieldsNamesEachOfThem() throws Exception {
    Violations v = new Violations();
    GroupChanges changes = GroupChanges.parse(Fields.ofBody(Json.read("{}"), v));
    assertThatThrownBy(() -> changes.create("o", "g", NOW, v))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.errors()).extracting(FieldError::field)
              .containsExactlyInAnyOrder("name", "timeZone", "phoneNumbers");
        });
  }

  @ParameterizedTest(name = "{0} -> error on {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"timeZone\":\"Mars/Olympus\"}|timeZone",
      "{\"timeZone\":\"+05:00\"}|timeZone",
      "{\"timeZone\":7}|timeZone",
      "{\"phoneNumbers\":[]}|phoneNumbers",
      "{\"phoneNumbers\":[\"5125550100\"]}|phoneNumbers[0]",
      "{\"phoneNumbers\":[\"+15125550100\",\"+1 512 555 0100\"]}|phoneNumbers[1]",
      "{\"hoursOfOperation\":{\"start\":\"8am\",\"end\":\"20:00\"}}|hoursOfOperation.start",
      "{\"hoursOfOperation\":{\"start\":\"20:00\",\"end\":\"08:00\"}}|hoursOfOperation.end",
      "{\"hoursOfOperation\":{\"start\":\"08:00\"}}|hoursOfOperation.end",
      "{\"unreadClaimMinutes\":0}|unreadClaimMinutes",
      "{\"responseWindowMinutes\":1.5}|responseWindowMinutes",
      "{\"dailySegmentCap\":-1}|dailySegmentCap",
      "{\"name\":\"\"}|name",
      "{\"name\":null}|name",
      "{\"colour\":\"red\"}|colour",
  })
  void everyBrokenRuleNamesItsField(String json, String field) {
    assertThat(errorsOf(json)).extracting(FieldError::field).containsExactly(field);
  }

  @Test
  void aPatchChangesOnlyWhatItNamesAndBumpsTheVersion() throws Exception {
    Violations v = new Violations();
    Group g = GroupChanges.parse(Fields.ofBody(Json.read(
            "{\"name\":\"Austin\",\"timeZone\":\"America/Chicago\",\"phoneNumbers\":[\"+15125550100\"]}"), v))
        .create("org1", "grp_1", NOW, v);
    Group patched = GroupChanges.parse(Fields.ofBody(Json.read("{\"dailySegmentCap\":40000}"), v))
        .applyTo(g, NOW.plusSeconds(60));
    assertThat(patched.dailySegmentCap()).isEqualTo(40000);
    assertThat(patched.name()).isEqualTo("Austin");
    assertThat(patched.version()).isEqualTo(g.version() + 1);
    assertThat(patched.updatedAt()).isAfter(g.updatedAt());
  }
}
