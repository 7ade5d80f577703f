package dev.goalpost.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.goalpost.contacts.Contact;
import dev.goalpost.contacts.ContactZones;
import dev.goalpost.groups.Group;
import dev.goalpost.groups.HoursOfOperation;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batches by zone: the key activation groups contacts by (so a batch is of one zone window), the claim filter
 * on a batch's key, and when a closed key opens — across DST switches (the US's and Europe's on different
 * dates) and multi-zone area codes.
 */
class BatchZonesTest {
  static Group group(String zone, String start, String end) {
    return new Group("grp_1", "org", "G", zone, List.of("+17185550100"), Map.of(),
        new HoursOfOperation(LocalTime.parse(start), LocalTime.parse(end)), 30, 60, 2000, Instant.EPOCH,
        Instant.EPOCH, 1);
  }

  static final Group NEW_YORK = group("America/New_York", "08:00", "20:00");

  static Contact contact(String phone, String zone, Map<String, String> custom) {
    return new Contact("c1", "org", "grp_1", phone, "P", null, custom, zone, List.of(), null, false, null, false,
        Instant.EPOCH, Instant.EPOCH);
  }

  @ParameterizedTest(name = "{0} (timeZone {1}) -> ''{2}''")
  @CsvSource(delimiter = '|', value = {
      "+14155550123||America/Los_Angeles",                         // San Francisco, by its number
      "+12125550123|America/Los_Angeles|America/Los_Angeles",      // a New York number living in LA: with LA
      "+14155550123|america/chicago|America/Chicago",              // any spelling of the id groups together
      "+12085550123||America/Boise America/Los_Angeles",           // Idaho's area code spans two zones
      "+16055550123||America/Denver America/North_Dakota/Center",  // South Dakota's too (Mountain + Central)
      "+16025550123||America/Phoenix",                             // Arizona: its own window (no DST)
      "+882355550123||"})                                          // no known zone: the group's alone
  void contactsAreGroupedByTheZonesTheirHoursMustHoldIn(String phone, String zone, String key) {
    assertThat(ContactZones.keyOf(contact(phone, zone, Map.of()))).isEqualTo(key == null ? "" : key);
  }

  @Test
  void olderContactsKeepTheirZoneFromTheCustomField() {
    Contact legacy = contact("+12125550123", null, Map.of("timeZone", "America/Denver"));
    assertThat(ContactZones.keyOf(legacy)).isEqualTo("America/Denver");
    Contact both = contact("+12125550123", "America/Chicago", Map.of("timeZone", "America/Denver"));
    assertThat(ContactZones.keyOf(both)).isEqualTo("America/Chicago"); // the field wins
    assertThat(ContactZones.keyOf(contact("+12125550123", null, Map.of("timeZone", "Nowhere"))))
        .isEqualTo("America/New_York");
  }

  @Test
  void aKeyNamesTheSameZonesWhateverTheirOrder() {
    String key = ContactZones.key(List.of(ZoneId.of("America/Los_Angeles"), ZoneId.of("America/Boise"),
        ZoneId.of("America/Los_Angeles")));
    assertThat(key).isEqualTo("America/Boise America/Los_Angeles");
    assertThat(ContactZones.fromKey(key)).containsExactly(ZoneId.of("America/Boise"), ZoneId.of("America/Los_Angeles"));
    assertThat(Set.copyOf(ContactZones.fromKey(""))).isEmpty();
  }

  @ParameterizedTest(name = "{0} in a {1} group at {2} -> claimable {3}")
  @CsvSource(delimiter = '|', value = {
      // winter: 14:00 UTC is 09:00 in New York, 06:00 in Los Angeles
      "America/New_York|America/New_York|2026-12-02T14:00:00Z|true",
      "America/Los_Angeles|America/New_York|2026-12-02T14:00:00Z|false",
      "America/Los_Angeles|America/New_York|2026-12-02T16:00:00Z|true",
      // summer (PDT): 15:00 UTC is 08:00 in Los Angeles
      "America/Los_Angeles|America/New_York|2026-07-01T15:00:00Z|true",
      "America/Los_Angeles|America/New_York|2026-07-01T14:59:00Z|false",
      // Arizona has no DST: 15:00 UTC is 08:00 there all year, 14:59 is 07:59
      "America/Phoenix|America/New_York|2026-07-01T14:59:00Z|false",
      "America/Phoenix|America/New_York|2026-12-02T15:00:00Z|true",
      // the US switch (Sun 2026-03-08): 15:30 UTC was 07:30 PST on Saturday, is 08:30 PDT on Sunday
      "America/Los_Angeles|America/New_York|2026-03-07T15:30:00Z|false",
      "America/Los_Angeles|America/New_York|2026-03-08T15:30:00Z|true",
      // a multi-zone area: open only when open in both (08:30 Boise, 07:30 Los Angeles)
      "America/Boise America/Los_Angeles|America/New_York|2026-12-02T15:30:00Z|false",
      "America/Boise America/Los_Angeles|America/New_York|2026-12-02T16:00:00Z|true",
      // evening in a Denver group, South Dakota's two zones: 01:30 UTC is 19:30 Central (open), 02:30 is 20:30
      "America/Denver America/North_Dakota/Center|America/Denver|2026-12-03T01:30:00Z|true",
      "America/Denver America/North_Dakota/Center|America/Denver|2026-12-03T02:30:00Z|false",
      // a batch without a key (no zone known, or cut before keys): the group's own check decides
      "|America/New_York|2026-12-02T03:00:00Z|true"})
  void aClaimTakesABatchOnlyWhileItsZonesAreOpen(String key, String groupZone, Instant now, boolean open) {
    assertThat(Hours.isOpen(group(groupZone, "08:00", "20:00"), key, now)).isEqualTo(open);
  }

  @ParameterizedTest(name = "{0} in a {1} {2}-{3} group at {4} -> opens {5}")
  @CsvSource(delimiter = '|', value = {
      // open already: now
      "America/New_York|America/New_York|08:00|20:00|2026-12-02T14:00:00Z|2026-12-02T14:00:00Z",
      // Los Angeles at 06:00 PST opens at 08:00 PST
      "America/Los_Angeles|America/New_York|08:00|20:00|2026-12-02T14:00:00Z|2026-12-02T16:00:00Z",
      // the Sunday the US moves to DST: 08:00 PDT is 15:00 UTC (the day before it was 16:00)
      "America/Los_Angeles|America/New_York|08:00|20:00|2026-03-08T12:00:00Z|2026-03-08T15:00:00Z",
      "America/Los_Angeles|America/New_York|08:00|20:00|2026-03-07T12:00:00Z|2026-03-07T16:00:00Z",
      // after the group closes (01:00 UTC is 20:00 New York, 17:00 Los Angeles): tomorrow 08:00 in Los Angeles
      "America/Los_Angeles|America/New_York|08:00|20:00|2026-12-03T01:00:00Z|2026-12-03T16:00:00Z",
      // a London group and New York contacts between the US switch (03-08) and Europe's (03-29): New York opens
      // at 12:00 UTC (EDT), an hour earlier than the rest of the year
      "America/New_York|Europe/London|08:00|20:00|2026-03-16T11:30:00Z|2026-03-16T12:00:00Z",
      "America/New_York|Europe/London|08:00|20:00|2026-04-06T11:30:00Z|2026-04-06T12:00:00Z",
      "America/New_York|Europe/London|08:00|20:00|2026-01-12T11:30:00Z|2026-01-12T13:00:00Z",
      // multi-zone: the later of the two (Los Angeles) decides
      "America/Boise America/Los_Angeles|America/New_York|08:00|20:00|2026-12-02T14:00:00Z|2026-12-02T16:00:00Z",
      // windows that never overlap: 09:00-12:00 in Honolulu and in New York
      "Pacific/Honolulu|America/New_York|09:00|12:00|2026-12-02T14:00:00Z|never"})
  void aClosedZoneSaysWhenItOpens(String key, String groupZone, String start, String end, Instant now, String opens) {
    var next = Hours.nextOpening(group(groupZone, start, end), key, now);
    if (opens.equals("never")) {
      assertThat(next).isEmpty();
    } else {
      assertThat(next).contains(Instant.parse(opens));
    }
  }

  @Test
  void whenEveryClaimableBatchIsClosedTheAnswerNamesTheZonesAndTheFirstOpening() {
    Batch la = new Batch("goal_1", WorkflowKind.INITIAL, "00000-000", "ANY", List.of(), Set.of(), null, null,
        "America/Los_Angeles");
    Batch idaho = new Batch("goal_1", WorkflowKind.INITIAL, "00000-001", "ANY", List.of(), Set.of(), null, null,
        "America/Boise America/Los_Angeles");
    var e = ClaimService.outsideHours(NEW_YORK, WorkflowKind.INITIAL, List.of(idaho, la, la),
        Instant.parse("2026-12-02T14:00:00Z"));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.getMessage()).contains("America/Los_Angeles").contains("America/Boise")
        .contains("The next zone opens at 2026-12-02T16:00:00Z");
  }
}
