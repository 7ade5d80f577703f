package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every expected signature here was published by Twilio; none was produced by running our code.
 *
 * <ul>
 *   <li>[java] twilio/twilio-java src/test/java/com/twilio/security/RequestValidatorTest.java
 *   <li>[python] twilio/twilio-python tests/unit/test_request_validator.py
 *   <li>[snippets] TwilioDevEd/api-snippets security/signature_validation/signature_validation.{2.x,3.x}.js —
 *       the code samples of twilio.com/docs/usage/webhooks/webhooks-security
 * </ul>
 */
class TwilioSignatureTest {
  // The common fixture of [java], [python] and [snippets]: token "12345", this URL, these five parameters.
  static final String TOKEN = "12345";
  static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

  static Map<String, List<String>> callParams(String caller) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("Digits", List.of("1234"));
    params.put("CallSid", List.of("CA1234567890ABCDE"));
    params.put("To", List.of("+18005551212"));
    params.put("Caller", List.of(caller));
    params.put("From", List.of(caller));
    return params;
  }

  static final Map<String, List<String>> PARAMS = callParams("+14158675309");
  /** [java] testValidate, [python] test_compute_signature, [snippets] signature_validation.2.x.js. */
  static final String SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

  @Nested
  class PublishedVectors {

    @Test
    void computesTheSignatureTwilioPublishesForItsDocumentationExample() {
      assertThat(TwilioSignature.compute(TOKEN, URL, PARAMS)).isEqualTo(SIGNATURE);
      assertThat(TwilioSignature.verify(TOKEN, URL, PARAMS, SIGNATURE)).isTrue();
    }

    @Test
    void computesTheSignatureOfTheDocsSnippetWithAnotherCaller() {
      // [snippets] signature_validation.3.x.js (later revision): Caller and From +14158675310.
      Map<String, List<String>> params = callParams("+14158675310");
      assertThat(TwilioSignature.compute(TOKEN, URL, params)).isEqualTo("GvWf1cFY/Q7PnoempGyD5oXAezc=");
    }

    @Test
    void signsEveryValueOfARepeatedParameterInSortedOrder() {
      // [python] test_compute_signature_duplicate_multi_dict / _query_dict: Digits sent as 5678 then 1234.
      Map<String, List<String>> params = new LinkedHashMap<>();
      params.put("Sid", List.of("CA123"));
      params.put("SidAccount", List.of("AC123"));
      params.put("Digits", List.of("5678", "1234"));
      assertThat(TwilioSignature.compute(TOKEN, URL, params)).isEqualTo("IK+Dwps556ElfBT0I3Rgjkr1wJU=");
    }

    @Test
    void verifiesTheDocumentationExampleArrivingAsARawFormBody() throws MalformedWebhook {
      // The same request as Twilio would post it ('+' percent-encoded), out of order: parsing then verifying.
      String body = "To=%2B18005551212&From=%2B14158675309&Digits=1234&CallSid=CA1234567890ABCDE"
          + "&Caller=%2B14158675309";
      assertThat(TwilioSignature.verify(TOKEN, URL, FormBody.parse(body), SIGNATURE)).isTrue();
    }

    @Test
    void acceptsASignatureOverTheHttpsUrlWithTheDefaultPortAdded() {
      // [java] testValidateAddsPortHttps, [python] test_validation_adds_port_on_https: hash of the :443 URL.
      assertThat(TwilioSignature.verify(TOKEN, URL, PARAMS, "kvajT1Ptam85bY51eRf/AJRuM3w=")).isTrue();
    }

    @Test
    void acceptsASignatureOverTheHttpUrlWithTheDefaultPortAdded() {
      // [java] testValidateAddsPortHttp, [python] test_validation_adds_port_on_http: hash of the :80 URL.
      String http = URL.replace("https", "http");
      assertThat(TwilioSignature.verify(TOKEN, http, PARAMS, "0ZXoZLH/DfblKGATFgpif+LLRf4=")).isTrue();
    }

    @Test
    void acceptsASignatureOverTheUrlWithoutItsPortWhenTheRequestHadOne() {
      // [java] testValidateRemovesPortHttps, [python] test_validation_removes_port_on_https.
      String withPort = URL.replace(".com", ".com:1234");
      assertThat(TwilioSignature.verify(TOKEN, withPort, PARAMS, SIGNATURE)).isTrue();
    }

    @Test
    void acceptsASignatureOverTheUrlWithItsNonDefaultPort() {
      // [java] testValidateRemovesPortHttp, [python] test_validation_removes_port_on_http: the expected value is
      // the "hash of http uri with port 1234".
      String withPort = URL.replace(".com", ".com:1234").replace("https", "http");
      assertThat(TwilioSignature.verify(TOKEN, withPort, PARAMS, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")).isTrue();
    }
  }

  @Nested
  class Refusals {

    @Test
    void refusesATamperedParameter() {
      Map<String, List<String>> tampered = new LinkedHashMap<>(PARAMS);
      tampered.put("Digits", List.of("9999"));
      assertThat(TwilioSignature.verify(TOKEN, URL, tampered, SIGNATURE)).isFalse();
    }

    @Test
    void refusesAnAddedParameter() {
      Map<String, List<String>> added = new LinkedHashMap<>(PARAMS);
      added.put("Body", List.of("STOP"));
      assertThat(TwilioSignature.verify(TOKEN, URL, added, SIGNATURE)).isFalse();
    }

    @Test
    void refusesTheSameRequestAtTheHttpUrl() {
      assertThat(TwilioSignature.verify(TOKEN, URL.replace("https", "http"), PARAMS, SIGNATURE)).isFalse();
    }

    @Test
    void refusesTheSameRequestWithAnotherQuery() {
      assertThat(TwilioSignature.verify(TOKEN, URL.replace("bar=2", "bar=3"), PARAMS, SIGNATURE)).isFalse();
      assertThat(TwilioSignature.verify(TOKEN, "https://mycompany.com/myapp.php", PARAMS, SIGNATURE)).isFalse();
    }

    @Test
    void refusesTheSameRequestAtAnotherHost() {
      assertThat(TwilioSignature.verify(TOKEN, URL.replace("mycompany", "evil"), PARAMS, SIGNATURE)).isFalse();
    }

    @Test
    void refusesAnotherAccountsToken() {
      assertThat(TwilioSignature.verify("54321", URL, PARAMS, SIGNATURE)).isFalse();
    }

    @Test
    void refusesTheAlteredSignatureOfTwilioJavasNegativeTest() {
      // [java] testFailsWhenIncorrect.
      assertThat(TwilioSignature.verify(TOKEN, URL, PARAMS, "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    }

    @Test
    void refusesATruncatedSignature() {
      assertThat(TwilioSignature.verify(TOKEN, URL, PARAMS, SIGNATURE.substring(0, SIGNATURE.length() - 1)))
          .isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void refusesAMissingOrBlankHeader(String header) {
      assertThat(TwilioSignature.verify(TOKEN, URL, PARAMS, header)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesEverythingWhenNoTokenIsConfigured(String token) {
      assertThat(TwilioSignature.verify(token, URL, PARAMS, SIGNATURE)).isFalse();
    }

    @Test
    void computingWithoutATokenIsAConfigurationError() {
      assertThatThrownBy(() -> TwilioSignature.compute("", URL, PARAMS))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class UrlVariants {

    @Test
    void triesAnHttpsUrlWithAndWithoutPort443() {
      assertThat(TwilioSignature.urlVariants("https://a.example/p?q=1"))
          .containsExactlyInAnyOrder("https://a.example/p?q=1", "https://a.example:443/p?q=1");
      assertThat(TwilioSignature.urlVariants("https://a.example:443/p?q=1"))
          .containsExactlyInAnyOrder("https://a.example:443/p?q=1", "https://a.example/p?q=1");
    }

    @Test
    void triesAnHttpUrlWithAndWithoutPort80() {
      assertThat(TwilioSignature.urlVariants("http://a.example"))
          .containsExactlyInAnyOrder("http://a.example", "http://a.example:80");
    }

    @Test
    void keepsUserInfoAndIpv6Brackets() {
      assertThat(TwilioSignature.urlVariants("https://u:p@a.example:8443/x"))
          .containsExactlyInAnyOrder("https://u:p@a.example:8443/x", "https://u:p@a.example/x");
      assertThat(TwilioSignature.urlVariants("https://[::1]:8443/x"))
          .containsExactlyInAnyOrder("https://[::1]:8443/x", "https://[::1]/x");
      assertThat(TwilioSignature.urlVariants("https://[::1]/x"))
          .containsExactlyInAnyOrder("https://[::1]/x", "https://[::1]:443/x");
    }

    @Test
    void triesAnUnsplittableUrlOnlyAsGiven() {
      assertThat(TwilioSignature.urlVariants("not a url")).containsExactly("not a url");
    }
  }
}
