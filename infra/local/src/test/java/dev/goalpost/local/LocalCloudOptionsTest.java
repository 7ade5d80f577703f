package dev.goalpost.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalCloudOptionsTest {
  @Test
  void strictLimitsAndPagesOfThreeAreTheDefault() {
    LocalCloudOptions o = LocalCloudOptions.parse(new String[0]);
    assertThat(o.dynamo()).isEqualTo(new LocalCloudOptions.DynamoModes(true, 3));
    assertThat(o.dynamo().environment())
        .isEqualTo(Map.of("GOALPOST_MOTO_STRICT_LIMITS", "1", "GOALPOST_MOTO_PAGE_SIZE", "3"));
  }

  @Test
  void bothModesCanBeTurnedOff() {
    LocalCloudOptions o = LocalCloudOptions.parse(new String[] {"--strict-limits", "off", "--page-size", "0"});
    assertThat(o.dynamo().environment())
        .isEqualTo(Map.of("GOALPOST_MOTO_STRICT_LIMITS", "0", "GOALPOST_MOTO_PAGE_SIZE", "0"));
  }

  @Test
  void aBadValueNamesTheFlag() {
    assertThatThrownBy(() -> LocalCloudOptions.parse(new String[] {"--strict-limits", "maybe"}))
        .hasMessageContaining("--strict-limits takes on or off, got maybe");
    assertThatThrownBy(() -> LocalCloudOptions.parse(new String[] {"--page-size", "-1"}))
        .hasMessageContaining("--page-size must be 0 (off) or more, got -1");
  }
}
