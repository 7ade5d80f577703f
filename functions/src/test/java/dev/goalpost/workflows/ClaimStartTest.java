package dev.goalpost.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Where an initial or reminder claim starts looking: spread over the pool, never where nothing follows. */
class ClaimStartTest {

  private static Activation.State cut(int pages, int batches) {
    return new Activation.State(true, Optional.empty(), pages, batches, batches * Activation.BATCH_SIZE, 1);
  }

  @Test
  void aSmallPoolIsSearchedFromItsStart() {
    assertThat(ClaimService.randomStart(cut(0, 0))).isEmpty();
    assertThat(ClaimService.randomStart(cut(1, ClaimService.CANDIDATES))).isEmpty();
  }

  @Test
  void startsSpreadOverThePoolButLeaveCandidatesAfterThem() {
    TreeSet<String> seen = new TreeSet<>();
    for (int i = 0; i < 2_000; i++) {
      seen.add(ClaimService.randomStart(cut(1, 10)).orElseThrow());
    }
    // 10 batches 00000-000..009: a start after 004 at the latest leaves 5 candidates.
    assertThat(seen).containsExactly("00000-000", "00000-001", "00000-002", "00000-003", "00000-004");

    seen.clear();
    for (int i = 0; i < 20_000; i++) {
      seen.add(ClaimService.randomStart(cut(100, 1000)).orElseThrow());
    }
    assertThat(seen.first()).isEqualTo("00000-000");
    assertThat(seen.last()).isEqualTo("00099-004");
    assertThat(seen).hasSizeGreaterThan(900);
  }
}
