package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenericWebhooksTest {

  @Test
  void readsTheContractExample() throws MalformedWebhook {
    assertThat(GenericWebhooks.message(GenericSignatureTest.BODY)).isEqualTo(
        new InboundSms("generic", "msg-1", "+15125550123", "+15125550100", "STOP", 0, List.of()));
  }

  @Test
  void readsMedia() throws MalformedWebhook {
    InboundSms sms = GenericWebhooks.message("""
        {"id": "c-9:abc_1.2", "from": " +447700900123 ", "to": "+15125550100", "body": "",
         "media": ["https://media.carrier.example/1.jpg", "https://media.carrier.example/2.png"]}""");
    assertThat(sms.providerMessageId()).isEqualTo("c-9:abc_1.2");
    assertThat(sms.from()).isEqualTo("+447700900123");
    assertThat(sms.body()).isEmpty();
    assertThat(sms.mediaCount()).isEqualTo(2);
    assertThat(sms.mediaUrls()).containsExactly(
        "https://media.carrier.example/1.jpg", "https://media.carrier.example/2.png");
  }

  @Test
  void treatsNullOrEmptyMediaAsNone() throws MalformedWebhook {
    for (String media : List.of("null", "[]")) {
      InboundSms sms = GenericWebhooks.message(
          "{\"id\":\"m\",\"from\":\"+15125550123\",\"to\":\"+15125550100\",\"body\":\"hi\",\"media\":" + media + "}");
      assertThat(sms.mediaUrls()).isEmpty();
    }
  }

  static final String OK_HEAD = "\"id\":\"m1\",\"from\":\"+15125550123\",\"to\":\"+15125550100\"";

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("", "body", "required"),
        Arguments.of("not json", "body", "not valid JSON"),
        Arguments.of("{\"id\":", "body", "not valid JSON"),
        Arguments.of("[]", "body", "JSON object"),
        Arguments.of("\"text\"", "body", "JSON object"),
        Arguments.of("42", "body", "JSON object"),
        Arguments.of("null", "body", "JSON object"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\"} {}", "body", "not valid JSON"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\",\"body\":\"STOP\"}", "body", "Duplicate field"),
        Arguments.of("{\"from\":\"+15125550123\",\"to\":\"+15125550100\",\"body\":\"hi\"}", "id", "required"),
        Arguments.of("{\"id\":7,\"from\":\"+15125550123\",\"to\":\"+15125550100\",\"body\":\"hi\"}", "id",
            "must be a string, got a number"),
        Arguments.of("{\"id\":{\"v\":\"m1\"},\"from\":\"+15125550123\",\"to\":\"+15125550100\",\"body\":\"hi\"}",
            "id", "must be a string, got an object"),
        Arguments.of("{\"id\":\"m 1\",\"from\":\"+15125550123\",\"to\":\"+15125550100\",\"body\":\"hi\"}", "id",
            "letters, digits"),
        Arguments.of("{\"id\":\"m1\",\"to\":\"+15125550100\",\"body\":\"hi\"}", "from", "required"),
        Arguments.of("{\"id\":\"m1\",\"from\":\"5125550123\",\"to\":\"+15125550100\",\"body\":\"hi\"}", "from", "E.164"),
        Arguments.of("{\"id\":\"m1\",\"from\":[\"+15125550123\"],\"to\":\"+15125550100\",\"body\":\"hi\"}", "from",
            "got an array"),
        Arguments.of("{\"id\":\"m1\",\"from\":\"+15125550123\",\"to\":true,\"body\":\"hi\"}", "to", "got a boolean"),
        Arguments.of("{" + OK_HEAD + "}", "body", "required"),
        Arguments.of("{" + OK_HEAD + ",\"body\":null}", "body", "required"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"" + "x".repeat(1601) + "\"}", "body", "at most 1600"),
        Arguments.of("{" + OK_HEAD + ",\"body\":{\"text\":\"hi\"}}", "body", "got an object"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\",\"media\":\"https://a.example/1\"}", "media", "array"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\",\"media\":[1]}", "media[0]", "got a number"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\",\"media\":[[\"https://a.example/1\"]]}", "media[0]",
            "got an array"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\",\"media\":[\"https://a.example/1\",\"ftp://a.example/2\"]}",
            "media[1]", "https"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\",\"media\":[" + "\"https://a.example/1\",".repeat(10)
            + "\"https://a.example/1\"]}", "media", "at most 10"),
        Arguments.of("{" + OK_HEAD + ",\"body\":\"hi\",\"medias\":[]}", "medias", "not a field"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("malformed")
  void refusesAnythingElseNamingTheField(String json, String field, String reason) {
    assertThatThrownBy(() -> GenericWebhooks.message(json))
        .isInstanceOfSatisfying(MalformedWebhook.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.reason()).contains(reason);
        });
  }

  @Test
  void refusesDeepNestingWithoutOverflowingTheStack() {
    String deep = "{\"id\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> GenericWebhooks.message(deep)).isInstanceOf(MalformedWebhook.class);
  }
}
