package dev.goalpost.messaging.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FormBodyTest {

  static Stream<Arguments> validBodies() {
    return Stream.of(
        Arguments.of("", Map.of()),
        Arguments.of("a=1", Map.of("a", List.of("1"))),
        Arguments.of("From=%2B15125550123", Map.of("From", List.of("+15125550123"))),
        Arguments.of("Body=Hello+there%21", Map.of("Body", List.of("Hello there!"))),
        Arguments.of("Body=a%2Bb", Map.of("Body", List.of("a+b"))),
        Arguments.of("Body=", Map.of("Body", List.of(""))),
        Arguments.of("Body", Map.of("Body", List.of(""))),
        Arguments.of("a=1&&b=2&", Map.of("a", List.of("1"), "b", List.of("2"))),
        Arguments.of("a=1&a=2&a=1", Map.of("a", List.of("1", "2", "1"))),
        Arguments.of("eq=a%3Db%26c", Map.of("eq", List.of("a=b&c"))),
        Arguments.of("eq=a=b", Map.of("eq", List.of("a=b"))),
        Arguments.of("Body=%C3%A9t%C3%A9+%F0%9F%98%80", Map.of("Body", List.of("été 😀"))),
        Arguments.of("Body=%c3%a9", Map.of("Body", List.of("é"))),
        Arguments.of("Body=été 😀", Map.of("Body", List.of("été 😀"))),
        Arguments.of("%41%42=%43", Map.of("AB", List.of("C"))),
        Arguments.of("=orphan", Map.of("", List.of("orphan"))));
  }

  @ParameterizedTest
  @MethodSource("validBodies")
  void decodesFormEncoding(String body, Map<String, List<String>> expected) throws MalformedWebhook {
    assertThat(FormBody.parse(body)).isEqualTo(expected);
  }

  @Test
  void keepsTheOrderNamesFirstAppeared() throws MalformedWebhook {
    assertThat(FormBody.parse("z=1&a=2&m=3&a=4").keySet()).containsExactly("z", "a", "m");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Body=100%", "Body=%", "Body=%4", "Body=%G1", "Body=%1G", "%zz=1", "Body=%%41",
      "Body=%ＡＡ", "Body=%C3", "Body=%FF", "Body=%C3%28", "Body=%ED%A0%80"})
  void refusesMalformedEscapesAndInvalidUtf8NamingTheBody(String body) {
    assertThatThrownBy(() -> FormBody.parse(body))
        .isInstanceOfSatisfying(MalformedWebhook.class, e -> {
          assertThat(e.field()).isEqualTo("body");
          assertThat(e.reason()).containsAnyOf("percent-escape", "not UTF-8");
        });
  }

  @Test
  void refusesAnUnpairedSurrogate() {
    assertThatThrownBy(() -> FormBody.parse("Body=a\uD800b"))
        .isInstanceOfSatisfying(MalformedWebhook.class, e -> assertThat(e.reason()).contains("surrogate"));
  }

  @Test
  void refusesAMissingBody() {
    assertThatThrownBy(() -> FormBody.parse(null)).isInstanceOf(MalformedWebhook.class);
  }

  @Test
  void returnsAMapThatCannotBeChanged() throws MalformedWebhook {
    Map<String, List<String>> params = FormBody.parse("a=1");
    assertThatThrownBy(() -> params.put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> params.get("a").add("2")).isInstanceOf(UnsupportedOperationException.class);
  }
}
