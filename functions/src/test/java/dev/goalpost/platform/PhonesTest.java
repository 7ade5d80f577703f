package dev.goalpost.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhonesTest {

  @ParameterizedTest(name = "{0} in {1} -> {2}")
  @CsvSource({
      "'(512) 555-0101', US, +15125550101",
      "'512.555.0101', US, +15125550101",
      "'+1 512 555 0101', GB, +15125550101",
      "'020 7946 0018', GB, +442079460018",
      "' +15125550101 ', US, +15125550101",
  })
  void normalizesToE164(String raw, String region, String e164) {
    assertThat(Phones.normalize(raw, region)).isEqualTo(new Phones.Valid(e164));
  }

  @ParameterizedTest
  @CsvSource({"'12'", "'not a phone'", "'+1 555 0101'", "''"})
  void refusesWhatIsNotAPhoneNumber(String raw) {
    assertThat(Phones.normalize(raw, "US")).isInstanceOf(Phones.Invalid.class);
  }

  @Test
  void groupNumbersMustBeWrittenInE164() {
    assertThat(Phones.strictE164("5125550100")).isInstanceOf(Phones.Invalid.class);
    assertThat(Phones.strictE164("+15125550100")).isEqualTo(new Phones.Valid("+15125550100"));
    assertThat(Phones.regionOf("+442079460018")).contains("GB");
  }
}
