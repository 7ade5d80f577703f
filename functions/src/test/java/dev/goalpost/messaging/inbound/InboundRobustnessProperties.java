package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Carrier input is attacker input. Whatever arrives — huge, unicode, control characters, broken escapes, the
 * wrong JSON — the parsers answer with a {@link MalformedWebhook} (a 400) or a value, and the verifiers answer
 * with a verdict: never another exception (a 500, and a retry storm), never a stack overflow, and never "valid"
 * for a signature nobody computed.
 */
class InboundRobustnessProperties {
  private static final int TRIES = 500;
  private static final String FORM_CHARS = "%+=&aAfFgG09 \u00e9\u0000\n\uD83D\uDE00";
  private static final List<String> TWILIO_NAMES = List.of("MessageSid", "SmsSid", "From", "To", "Body", "NumMedia",
      "MediaUrl0", "MediaUrl1", "MessageStatus", "SmsStatus", "ErrorCode", "ErrorMessage");

  // ---- parsers ------------------------------------------------------------------------------------------

  @Property(tries = TRIES)
  void formBodyOnlyEverFailsWithMalformedWebhook(@ForAll("formBodies") String body) {
    try {
      Map<String, List<String>> params = FormBody.parse(body);
      assertThat(params).doesNotContainKey(null);
    } catch (MalformedWebhook e) {
      assertThat(e.field()).isEqualTo("body");
    }
  }

  @Property(tries = TRIES)
  void formBodyDecodesWhatAStandardEncoderEncoded(
      @ForAll("formNames") List<String> names, @ForAll("formValues") String value) throws MalformedWebhook {
    Map<String, List<String>> sent = new LinkedHashMap<>();
    names.forEach(n -> sent.put(n, List.of(value, n)));
    String body = sent.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
        .collect(Collectors.joining("&"));
    Map<String, List<String>> expected = new LinkedHashMap<>(sent);
    expected.remove(""); // an empty name with "=" still parses; keep the comparison to named pairs
    Map<String, List<String>> parsed = new LinkedHashMap<>(FormBody.parse(body));
    parsed.remove("");
    assertThat(parsed).isEqualTo(expected);
  }

  @Property(tries = TRIES)
  void twilioParsersOnlyEverFailWithMalformedWebhook(@ForAll("twilioParams") Map<String, List<String>> params) {
    try {
      InboundSms sms = TwilioWebhooks.message(params);
      assertThat(sms.body().codePointCount(0, sms.body().length())).isLessThanOrEqualTo(1600);
      assertThat(sms.from()).startsWith("+");
    } catch (MalformedWebhook e) {
      assertThat(e.field()).isNotBlank();
    }
    try {
      assertThat(TwilioWebhooks.status(params).status()).isNotNull();
    } catch (MalformedWebhook e) {
      assertThat(e.field()).isNotBlank();
    }
  }

  @Property(tries = TRIES)
  void genericParserOnlyEverFailsWithMalformedWebhook(@ForAll("jsonBodies") String json) {
    try {
      InboundSms sms = GenericWebhooks.message(json);
      assertThat(sms.mediaUrls()).allMatch(u -> u.startsWith("https://"));
    } catch (MalformedWebhook e) {
      assertThat(e.field()).isNotBlank();
    }
  }

  @Property(tries = TRIES)
  void keywordsNeverThrow(@ForAll("texts") String body) {
    assertThat(Keywords.classify(body)).isNotNull();
  }

  // ---- verifiers ----------------------------------------------------------------------------------------

  @Property(tries = TRIES)
  void twilioVerifierNeverThrowsAndNeverAcceptsARandomSignature(
      @ForAll("secrets") String token,
      @ForAll("urls") String url,
      @ForAll("twilioParams") Map<String, List<String>> params,
      @ForAll("randomSignatures") String header) {
    assertThat(TwilioSignature.verify(token, url, params, header)).isFalse();
  }

  @Property(tries = TRIES)
  void twilioVerifierAcceptsWhatTwilioWouldSign(
      @ForAll("secrets") String token,
      @ForAll("urls") String url,
      @ForAll("twilioParams") Map<String, List<String>> params) {
    if (token == null || token.isEmpty() || url == null) {
      return;
    }
    String signature = TwilioSignature.compute(token, url, params);
    assertThat(TwilioSignature.verify(token, url, params, signature)).isTrue();
  }

  @Property(tries = TRIES)
  void genericVerifierNeverThrowsAndNeverAcceptsARandomSignature(
      @ForAll("secrets") String secret,
      @ForAll("timestamps") String timestamp,
      @ForAll("randomGenericSignatures") String signature,
      @ForAll("texts") String body) {
    Verdict verdict = GenericSignature.verify(secret, timestamp, signature, body, Instant.ofEpochSecond(1767225600L));
    assertThat(verdict).isInstanceOf(Verdict.Invalid.class);
    assertThat(((Verdict.Invalid) verdict).reason()).isNotBlank();
  }

  @Property(tries = TRIES)
  void genericVerifierAcceptsWhatACarrierSignedWithinFiveMinutes(
      @ForAll("secrets") String secret,
      @ForAll("texts") String body,
      @ForAll("skews") long skew) {
    if (secret == null || secret.isEmpty() || body == null) {
      return;
    }
    long ts = 1767225600L;
    String signature = GenericSignature.sign(secret, ts, body);
    Verdict verdict = GenericSignature.verify(secret, Long.toString(ts), signature, body, Instant.ofEpochSecond(ts + skew));
    assertThat(verdict.isValid()).isEqualTo(Math.abs(skew) <= 300);
  }

  // ---- generators ---------------------------------------------------------------------------------------

  /** Anything: all of Unicode, control characters, lone surrogates; occasionally null or huge. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(60);
    Arbitrary<String> huge = Combinators.combine(Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8),
        Arbitraries.integers().between(1_000, 40_000)).as(String::repeat);
    return Arbitraries.frequencyOf(
        Tuple.of(20, any),
        Tuple.of(3, Arbitraries.of("STOP", " stop! ", "OPT OUT", "", " ", "%", "+")),
        Tuple.of(1, huge)).injectNull(0.02);
  }

  @Provide
  Arbitrary<List<String>> formNames() {
    return formValues().list().ofMaxSize(6).uniqueElements();
  }

  /** Any well-formed Unicode text (an encoder cannot encode a lone surrogate, and neither can a phone). */
  @Provide
  Arbitrary<String> formValues() {
    return Arbitraries.strings().all().ofMaxLength(40)
        .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
  }

  /** Bodies dense in the characters that matter to form encoding, plus anything at all. */
  @Provide
  Arbitrary<String> formBodies() {
    Arbitrary<String> dense = Arbitraries.strings().withChars(FORM_CHARS.toCharArray()).ofMaxLength(80);
    Arbitrary<String> escapes = Arbitraries.strings().withChars("%0123456789ABCDEFcdefxz+=&".toCharArray())
        .ofMaxLength(80);
    Arbitrary<String> hugeDense = Combinators.combine(dense.filter(s -> !s.isEmpty()),
        Arbitraries.integers().between(1_000, 20_000)).as(String::repeat);
    return Arbitraries.frequencyOf(
        Tuple.of(10, dense),
        Tuple.of(10, escapes),
        Tuple.of(5, texts()),
        Tuple.of(1, hugeDense));
  }

  /** Mostly Twilio's own parameter names with plausible, borderline and hostile values; sometimes nulls. */
  @Provide
  Arbitrary<Map<String, List<String>>> twilioParams() {
    Arbitrary<String> names = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of(TWILIO_NAMES)),
        Tuple.of(1, texts()));
    Arbitrary<String> values = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("+15125550123", " +15125550100 ", "15125550123", "+1", "",
            "SM1342fe1b2c904d1ab04f0fc7a58abca9", "0", "1", "2", "10", "11", "-1", "99999999999", "delivered",
            "received", "READ", "30003", "https://api.twilio.com/m/1", "http://x", "https://", "%zz")),
        Tuple.of(3, texts()));
    Arbitrary<List<String>> valueLists = values.list().ofMaxSize(3);
    return Combinators.combine(names.list().ofMaxSize(12), valueLists.list().ofMaxSize(12)).as((ks, vs) -> {
      Map<String, List<String>> params = new HashMap<>();
      for (int i = 0; i < ks.size(); i++) {
        params.put(ks.get(i), i < vs.size() ? vs.get(i) : null);
      }
      return params;
    }).injectNull(0.02);
  }

  /** JSON-shaped bodies: right fields with wrong types, extra nesting, truncation, and plain garbage. */
  @Provide
  Arbitrary<String> jsonBodies() {
    Arbitrary<String> scalar = Arbitraries.oneOf(
        Arbitraries.of("null", "true", "1", "-0.5e3", "\"\"", "\"+15125550123\"", "\"m-1\"",
            "\"https://a.example/x\"", "[]", "{}", "[\"https://a.example/x\"]", "[1,2]", "{\"a\":{}}"),
        texts().filter(s -> s != null).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
    Arbitrary<String> key = Arbitraries.of("id", "from", "to", "body", "media", "extra", "ID", "");
    Arbitrary<String> member = Combinators.combine(key, scalar).as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> object = member.list().ofMaxSize(7).map(ms -> "{" + String.join(",", ms) + "}");
    Arbitrary<String> truncated = Combinators.combine(object, Arbitraries.integers().between(0, 200))
        .as((o, n) -> o.substring(0, Math.min(n, o.length())));
    Arbitrary<String> deep = Arbitraries.integers().between(1, 50_000)
        .map(n -> "{\"id\":" + "[".repeat(n) + "]".repeat(n) + "}");
    return Arbitraries.frequencyOf(
        Tuple.of(10, object),
        Tuple.of(3, truncated),
        Tuple.of(3, texts()),
        Tuple.of(1, deep));
  }

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.oneOf(Arbitraries.of("12345", "whsec_example"), texts());
  }

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> shaped = Combinators.combine(
        Arbitraries.of("https://", "http://", "HTTPS://", "ftp://", "", "://"),
        Arbitraries.strings().withChars("abc.:@[]1234".toCharArray()).ofMaxLength(20),
        Arbitraries.strings().withChars("/?#=&%:x".toCharArray()).ofMaxLength(20))
        .as((scheme, authority, rest) -> scheme + authority + rest);
    return Arbitraries.oneOf(shaped, texts());
  }

  /** Base64 of random 20-byte digests (what a forger would send), and arbitrary header junk. */
  @Provide
  Arbitrary<String> randomSignatures() {
    Arbitrary<String> digests = Arbitraries.bytes().array(byte[].class).ofSize(20)
        .map(b -> Base64.getEncoder().encodeToString(b));
    return Arbitraries.oneOf(digests, texts());
  }

  @Provide
  Arbitrary<String> randomGenericSignatures() {
    Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef".toCharArray()).ofLength(64)
        .map(h -> "v1=" + h);
    Arbitrary<String> lists = hex.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
    return Arbitraries.oneOf(hex, lists, texts());
  }

  @Provide
  Arbitrary<String> timestamps() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(1767225600L - 600, 1767225600L + 600).map(Object::toString),
        Arbitraries.of("0", "999999999999", "1e9", "-1", " ", "１"),
        texts());
  }

  @Provide
  Arbitrary<Long> skews() {
    return Arbitraries.longs().between(-400, 400).edgeCases(c -> c.add(-301L).add(-300L).add(300L).add(301L));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
