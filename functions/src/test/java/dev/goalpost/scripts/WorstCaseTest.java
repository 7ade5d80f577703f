package dev.goalpost.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WorstCaseTest {
  private static final MergeFieldCatalog CATALOG = MergeFieldCatalog.builtIns()
      .withDateField("event date").withTimeField("event time").withCustomFields(List.of("county"));

  private static String worstCase(String body) {
    return MergeFields.worstCase(MergeFields.parse(body, CATALOG), CATALOG);
  }

  @ParameterizedTest(name = "{0} stands for {1} characters")
  @CsvSource(delimiter = ';', value = {
      "<first name>; 20",
      "<last name>; 20",
      "<agent name>; 20",
      "<group name>; 40",
      "<county>; 30",
      "<shirt size>; 30",                         // unknown fields count as custom fields
      "<first name|friend>; 20",                  // a short fallback: the name is longer
      "<first name|my dear friend and neighbour>; 28", // a long fallback is the worst case
      "<first name|{[~]}{[~]}{[~]}>; 15",         // 15 characters but 30 septets: more than a 20-letter name
  })
  void eachFieldBecomesItsLongestPlausibleText(String body, int length) {
    assertThat(worstCase(body)).hasSize(length);
  }

  @Test
  void datesAndTimesStandInAsTheirLongestFormattedForm() {
    assertThat(worstCase("<event date> at <event time>")).isEqualTo("Wednesday, September 30 at 12:00 PM GMT+05:30");
  }

  @Test
  void aFallbackThatForcesUcs2IsPaddedToTheStandInsLength() {
    String worst = worstCase("<first name|amigo’>");

    assertThat(worst).isEqualTo("amigo’xxxxxxxxxxxxxx");
    assertThat(Segments.count(worst).encoding()).isEqualTo(Encoding.UCS2);
  }

  @Test
  void theWorstCaseIsCountedInSegments() {
    // 140 letters + a 20-character name = 160 septets: one part; one more letter makes two.
    ParsedScript fits = MergeFields.parse("a".repeat(140) + "<first name>", CATALOG);
    ParsedScript over = MergeFields.parse("a".repeat(141) + "<first name>", CATALOG);

    assertThat(MergeFields.worstCaseCount(fits, CATALOG)).isEqualTo(new SegmentCount(Encoding.GSM7, 160, 1));
    assertThat(MergeFields.worstCaseCount(over, CATALOG)).isEqualTo(new SegmentCount(Encoding.GSM7, 161, 2));
  }
}
