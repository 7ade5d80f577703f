package dev.goalpost.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.contacts.Contact;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.HoursOfOperation;
import dev.goalpost.platform.http.ApiException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Quiet hours in the contact's own time: zones from the number or the contact, across DST, multi-zone areas. */
class ContactHoursTest {
  /** An Eastern group, 08:00–20:00 (the default hours). */
  static final Group NEW_YORK = new Group("grp_1", "org", "Brooklyn", "America/New_York", List.of("+17185550100"),
      Map.of(), HoursOfOperation.DEFAULT, 30, 60, 2000, Instant.EPOCH, Instant.EPOCH, 1);

  static Contact contact(String phone, String zone) {
    return new Contact("c1", "org", "grp_1", phone, "P", null, Map.of(), zone, List.of(), null, false, null, false,
        Instant.EPOCH, Instant.EPOCH);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "+12125550123, America/New_York",     // Manhattan
      "+14155550123, America/Los_Angeles",  // San Francisco
      "+13125550123, America/Chicago",      // Chicago
      "+16025550123, America/Phoenix",      // Arizona: no DST
      "+18085550123, Pacific/Honolulu"})
  void aNumbersAreaGivesItsZone(String phone, String zone) {
    assertThat(Hours.zonesOfNumber(phone)).containsExactly(ZoneId.of(zone));
  }

  @ParameterizedTest(name = "{0} spans several zones")
  @CsvSource({"+12085550123", "+16055550123"}) // Idaho (Mountain + Pacific), South Dakota (Mountain + Central)
  void someAreasSpanSeveralZones(String phone) {
    assertThat(Hours.zonesOfNumber(phone)).hasSizeGreaterThan(1);
  }

  @ParameterizedTest(name = "{1} at {0} -> open {2}")
  @CsvSource({
      // 13:00 UTC in winter: 08:00 New York, 05:00 Los Angeles
      "2026-12-02T13:00:00Z, +12125550123, true",
      "2026-12-02T13:00:00Z, +14155550123, false",
      // 16:00 UTC in winter: 08:00 Los Angeles (11:00 New York): both open
      "2026-12-02T16:00:00Z, +14155550123, true",
      // summer (DST): 15:00 UTC is 08:00 in Los Angeles (PDT), 14:59 is 07:59
      "2026-07-01T15:00:00Z, +14155550123, true",
      "2026-07-01T14:59:00Z, +14155550123, false",
      // Arizona keeps MST all year: 15:00 UTC is 08:00 there in summer and winter alike
      "2026-07-01T15:00:00Z, +16025550123, true",
      "2026-07-01T14:59:00Z, +16025550123, false",
      // the DST switch in the US (2026-03-08): 12:30 UTC was 07:30 EST the day before, is 08:30 EDT that day
      "2026-03-07T12:30:00Z, +12125550123, false",
      "2026-03-08T12:30:00Z, +12125550123, true",
      // evening: 00:30 UTC is 19:30 in New York (open) but the group closes at 20:00 there: 01:00 UTC is closed
      "2026-12-03T00:30:00Z, +14155550123, true",
      "2026-12-03T01:00:00Z, +14155550123, false",
      // Idaho's area code (America/Boise and America/Los_Angeles): open only when open in both
      "2026-12-02T15:30:00Z, +12085550123, false",  // 08:30 Boise, 07:30 Los Angeles
      "2026-12-02T16:00:00Z, +12085550123, true"})
  void theHoursHoldInTheGroupsZoneAndEveryZoneOfTheContact(Instant now, String phone, boolean open) {
    assertThat(Hours.isOpen(NEW_YORK, contact(phone, null), now)).isEqualTo(open);
  }

  @ParameterizedTest(name = "{0} with zone {1} at {2} -> open {3}")
  @CsvSource({
      "+12125550123, America/Los_Angeles, 2026-12-02T13:00:00Z, false", // a New York number living in LA
      "+14155550123, America/New_York, 2026-12-02T13:00:00Z, true",     // an LA number living in NY
      "+14155550123, Not/AZone, 2026-12-02T13:00:00Z, false"})           // a bad zone: the number decides
  void aContactsOwnZoneWinsOverItsNumbers(String phone, String zone, Instant now, boolean open) {
    assertThat(Hours.isOpen(NEW_YORK, contact(phone, zone), now)).isEqualTo(open);
  }

  @org.junit.jupiter.api.Test
  void aSendOutsideTheContactsHoursIsRefusedNamingTheirZone() {
    assertThatThrownBy(() -> Hours.requireOpen(NEW_YORK, contact("+14155550123", null), Instant.parse("2026-12-02T13:00:00Z")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("America/Los_Angeles").contains("05:00");
        });
    assertThat(new HoursOfOperation(LocalTime.of(8, 0), LocalTime.of(20, 0))).isEqualTo(HoursOfOperation.DEFAULT);
  }
}
