package dev.goalpost.local.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FaultsTest {
  @Test
  void aSpecParsesAndPrintsBackTheSamePlan() {
    FaultPlan p = FaultPlan.parse("rate=0.05,seed=42,window=20ms,kinds=conflict+crash,redelivery=5s");
    assertThat(p.rate()).isEqualTo(0.05);
    assertThat(p.seed()).isEqualTo(42);
    assertThat(p.window()).isEqualTo(Duration.ofMillis(20));
    assertThat(p.kinds()).containsExactlyInAnyOrder(FaultPlan.Kind.CONFLICT, FaultPlan.Kind.CRASH);
    assertThat(p.redelivery()).isEqualTo(Duration.ofSeconds(5));
    assertThat(FaultPlan.parse(p.spec())).isEqualTo(p);
    assertThat(FaultPlan.parse("rate=0.1").kinds()).containsExactlyInAnyOrder(FaultPlan.Kind.values());
    assertThat(FaultPlan.parse("").enabled()).isFalse();
    assertThat(FaultPlan.parse("off")).isEqualTo(FaultPlan.OFF);
  }

  @Test
  void aSeedIsDrawnWhenNoneIsGivenAndShowsInTheSpec() {
    FaultPlan p = FaultPlan.parse("rate=0.05");
    assertThat(p.seed()).isPositive();
    assertThat(p.spec()).contains("seed=" + p.seed());
  }

  @Test
  void badSpecsNameTheField() {
    assertThatThrownBy(() -> FaultPlan.parse("rate=2")).hasMessageContaining("rate");
    assertThatThrownBy(() -> FaultPlan.parse("rate=0.1,seed=x")).hasMessageContaining("seed");
    assertThatThrownBy(() -> FaultPlan.parse("rate=0.1,kinds=meteor")).hasMessageContaining("kinds")
        .hasMessageContaining("meteor");
    assertThatThrownBy(() -> FaultPlan.parse("speed=3")).hasMessageContaining("speed");
  }

  @Test
  void theSameSeedMakesTheSameDecisionsAndTheRateIsKept() {
    List<Boolean> first = decisions(new Faults(FaultPlan.parse("rate=0.2,seed=7")));
    List<Boolean> again = decisions(new Faults(FaultPlan.parse("rate=0.2,seed=7")));
    List<Boolean> other = decisions(new Faults(FaultPlan.parse("rate=0.2,seed=8")));
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    long hits = first.stream().filter(b -> b).count();
    assertThat(hits).isBetween(150L, 250L); // 1,000 decisions at 0.2
  }

  @Test
  void aKindOutsideThePlanIsNeverInjected() {
    Faults f = new Faults(FaultPlan.parse("rate=1,seed=1,kinds=crash"));
    assertThat(f.inject(FaultPlan.Kind.DUPLICATE, "q")).isFalse();
    assertThat(f.inject(FaultPlan.Kind.CRASH, "fn")).isTrue();
    assertThat(f.injected(FaultPlan.Kind.CRASH)).isEqualTo(1);
  }

  /** The launcher's Python decides with the same function: the same (seed, key, n) gives the same number. */
  @Test
  void theLauncherHashesLikeTheJvm() throws Exception {
    Path script = Files.createTempFile("faults-hash", ".py");
    Path module = Path.of("src/main/resources/emulator");
    Files.writeString(script, "import sys\nsys.path.insert(0, sys.argv[1])\nimport goalpost_faults as g\n"
        + "print(repr(g.unit(42, 'moto|dynamodb.PutItem', 0)), repr(g.unit(-5, 'crash|Fn', 12345)))\n");
    Process p = new ProcessBuilder("python3", script.toString(), module.toAbsolutePath().toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo(Faults.unit(42, "moto|dynamodb.PutItem", 0) + " " + Faults.unit(-5, "crash|Fn", 12345));
  }

  private static List<Boolean> decisions(Faults f) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      out.add(f.inject(FaultPlan.Kind.CRASH, "fn" + (i % 3)));
    }
    return out;
  }
}
