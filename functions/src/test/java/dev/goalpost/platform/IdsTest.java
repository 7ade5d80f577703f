package dev.goalpost.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void newIdsAreUniqueAndCarryTheirPrefix() {
    Ids ids = new Ids();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = ids.next("grp");
      assertThat(id).matches("grp_[0-9a-z]{20}");
      assertThat(seen.add(id)).isTrue();
    }
  }

  @Test
  void derivedIdsAreStableForTheSameNaturalKeyOnly() {
    assertThat(Ids.derived("ct", "o|g|+15125550101")).isEqualTo(Ids.derived("ct", "o|g|+15125550101"))
        .isNotEqualTo(Ids.derived("ct", "o|g|+15125550102"));
  }
}
