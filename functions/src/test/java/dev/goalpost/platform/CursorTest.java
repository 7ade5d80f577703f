package dev.goalpost.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.goalpost.platform.http.ApiException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CursorTest {

  @Test
  void aCursorCarriesOnlyTheSortKeyAndThePartitionComesFromTheServer() {
    String cursor = Cursor.encode(Map.of("PK", AttributeValue.fromS("ORG#other"), "SK",
        AttributeValue.fromS("GROUP#g9")), "SK");
    var key = Cursor.decode(Optional.of(cursor), Map.of("PK", AttributeValue.fromS("ORG#mine")), "SK");
    assertThat(key).contains(Map.of("PK", AttributeValue.fromS("ORG#mine"), "SK", AttributeValue.fromS("GROUP#g9")));
  }

  @Test
  void noLastKeyMeansNoCursor() {
    assertThat(Cursor.encode(Map.of(), "SK")).isNull();
    assertThat(Cursor.decode(Optional.empty(), Map.of(), "SK")).isEmpty();
  }

  @Test
  void aForgedCursorIsA422OnTheCursorField() {
    assertThatThrownBy(() -> Cursor.decode(Optional.of("%%%"), Map.of(), "SK"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.errors()).extracting("field").containsExactly("cursor");
        });
  }
}
