package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class GenericSignatureTest {
  // The worked example of the GenericSignature class comment (our contract with carriers). The signature was
  // computed outside this code base, with
  //   printf '%s' '1767225600.<BODY>' | openssl dgst -sha256 -hmac whsec_example
  // and cross-checked with Python's hmac module, so this test pins the format, not just our own round trip.
  static final String SECRET = "whsec_example";
  static final long TIMESTAMP = 1767225600L; // 2026-01-01T00:00:00Z
  static final String BODY = "{\"id\":\"msg-1\",\"from\":\"+15125550123\",\"to\":\"+15125550100\",\"body\":\"STOP\"}";
  static final String SIGNATURE = "v1=90ab165e925f59fb3bd7b97cd29e26bf587765cf094f723df7f6b901b47179ba";
  static final Instant NOW = Instant.ofEpochSecond(TIMESTAMP);

  static Verdict verify(String timestamp, String signature, String body, Instant now) {
    return GenericSignature.verify(SECRET, timestamp, signature, body, now);
  }

  static Verdict verify(String signature) {
    return verify(Long.toString(TIMESTAMP), signature, BODY, NOW);
  }

  @Test
  void signsTheContractExampleAsDocumented() {
    assertThat(GenericSignature.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void acceptsTheContractExample() {
    assertThat(verify(SIGNATURE)).isEqualTo(Verdict.VALID);
  }

  @Test
  void acceptsUpperCaseHexAndSurroundingWhitespace() {
    String upper = "v1=" + SIGNATURE.substring(3).toUpperCase(Locale.ROOT);
    assertThat(verify(" " + upper + " ")).isEqualTo(Verdict.VALID);
    assertThat(verify(" " + TIMESTAMP + " ", SIGNATURE, BODY, NOW)).isEqualTo(Verdict.VALID);
  }

  @Test
  void acceptsAnyMatchingV1DuringSecretRotationAndIgnoresOtherVersions() {
    String old = GenericSignature.sign("whsec_old", TIMESTAMP, BODY);
    assertThat(verify(old + "," + SIGNATURE)).isEqualTo(Verdict.VALID);
    assertThat(verify("v2=abc, " + SIGNATURE)).isEqualTo(Verdict.VALID);
  }

  @Test
  void refusesATamperedBody() {
    String tampered = BODY.replace("STOP", "START");
    assertThat(verify(Long.toString(TIMESTAMP), SIGNATURE, tampered, NOW))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("does not match"));
  }

  @Test
  void refusesABodyThatDiffersOnlyInWhitespace() {
    assertThat(verify(Long.toString(TIMESTAMP), SIGNATURE, BODY + "\n", NOW).isValid()).isFalse();
  }

  @Test
  void refusesAnotherSecret() {
    assertThat(GenericSignature.verify("whsec_other", Long.toString(TIMESTAMP), SIGNATURE, BODY, NOW).isValid())
        .isFalse();
  }

  @Test
  void refusesTheSignatureMovedToAnotherTimestamp() {
    // The timestamp is signed: re-dating a captured request breaks its signature.
    assertThat(verify(Long.toString(TIMESTAMP + 1), SIGNATURE, BODY, NOW))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("does not match"));
  }

  @Test
  void acceptsARequestSignedExactlyFiveMinutesAgoOrAhead() {
    for (long skew : new long[] {-300, 300}) {
      long ts = TIMESTAMP + skew;
      String signature = GenericSignature.sign(SECRET, ts, BODY);
      assertThat(verify(Long.toString(ts), signature, BODY, NOW)).as("skew %d s", skew).isEqualTo(Verdict.VALID);
    }
  }

  @Test
  void refusesARequestSignedFiveMinutesAndOneSecondAgoAsAReplay() {
    long ts = TIMESTAMP - 301;
    Verdict verdict = verify(Long.toString(ts), GenericSignature.sign(SECRET, ts, BODY), BODY, NOW);
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Invalid.class,
        i -> assertThat(i.reason()).contains("301 s behind our clock").contains("replayed"));
  }

  @Test
  void refusesARequestSignedFiveMinutesAndOneSecondAhead() {
    long ts = TIMESTAMP + 301;
    Verdict verdict = verify(Long.toString(ts), GenericSignature.sign(SECRET, ts, BODY), BODY, NOW);
    assertThat(verdict).isInstanceOfSatisfying(Verdict.Invalid.class,
        i -> assertThat(i.reason()).contains("301 s ahead of our clock"));
  }

  @Test
  void refusesAReplayOfTheValidExampleTenMinutesLater() {
    assertThat(verify(Long.toString(TIMESTAMP), SIGNATURE, BODY, NOW.plusSeconds(600)))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("±300 s"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1767225600", "+1767225600", "1767225600.5", "1.7e9", "0x69", "１７６７２２５６００",
      "1767225600000000"})
  void refusesATimestampThatIsNotUnixSeconds(String timestamp) {
    assertThat(verify(timestamp, SIGNATURE, BODY, NOW))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("Unix seconds"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void refusesAMissingTimestamp(String timestamp) {
    assertThat(verify(timestamp, SIGNATURE, BODY, NOW))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("missing"));
  }

  @Test
  void refusesASignatureWithoutTheV1Prefix() {
    assertThat(verify(SIGNATURE.substring(3)))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("no v1= signature"));
    assertThat(verify("sha256=" + SIGNATURE.substring(3)).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1=", "v1=abc", "v1=zz5ab165e925f59fb3bd7b97cd29e26bf587765cf094f723df7f6b901b47179ba",
      "v1=90ab165e925f59fb3bd7b97cd29e26bf587765cf094f723df7f6b901b47179ba00"})
  void refusesAV1SignatureThatIsNot64HexCharacters(String signature) {
    assertThat(verify(signature))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("64 hex"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  void refusesAMissingSignature(String signature) {
    assertThat(verify(signature))
        .isInstanceOfSatisfying(Verdict.Invalid.class, i -> assertThat(i.reason()).contains("missing"));
  }

  @Test
  void refusesEverythingWhenNoSecretIsConfigured() {
    assertThat(GenericSignature.verify("", Long.toString(TIMESTAMP), SIGNATURE, BODY, NOW).isValid()).isFalse();
    assertThat(GenericSignature.verify(null, Long.toString(TIMESTAMP), SIGNATURE, BODY, NOW).isValid()).isFalse();
    assertThatThrownBy(() -> GenericSignature.sign("", TIMESTAMP, BODY)).isInstanceOf(IllegalArgumentException.class);
  }
}
