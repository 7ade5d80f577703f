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

  /**
   * The launcher's conflict window, on moto's backend in-process: with a client clock, a transaction is checked
   * as of when it was issued, so one issued while another on the same item was still in progress (queued
   * ahead of it) is cancelled, as is one issued within the window after the other committed; later ones, other
   * items and the writer's own invocation pass.
   */
  @Test
  void theWindowChecksATransactionAsOfWhenItWasIssued() throws Exception {
    Path script = Files.createTempFile("faults-window", ".py");
    Path module = Path.of("src/main/resources/emulator");
    Files.writeString(script, """
        import sys
        sys.path.insert(0, sys.argv[1])
        import goalpost_faults as g
        from moto.dynamodb.models import DynamoDBBackend
        from moto.dynamodb.exceptions import TransactionCanceledException
        g._install_window(g.Plan("rate=0,seed=1,window=10ms,kinds=conflict"))
        b = DynamoDBBackend("us-east-1", "123456789012")
        keys = [{"AttributeName": "PK", "AttributeType": "S"}, {"AttributeName": "SK", "AttributeType": "S"}]
        b.create_table("t", schema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
                       throughput=None, attr=keys, global_indexes=None, indexes=None, streams=None,
                       billing_mode="PAY_PER_REQUEST", sse_specification=None, tags=[],
                       deletion_protection_enabled=False, warm_throughput=None)
        def tx(who, clock, issued, pk):
            g._local.invocation, g._local.offset, g._local.issued = who, clock - g.time.monotonic(), issued
            try:
                b.transact_write_items([{"Put": {"TableName": "t", "Item": {"PK": {"S": pk}, "SK": {"S": "X"}}}}])
                return "ok"
            except TransactionCanceledException:
                return "conflict"
            finally:
                g._local.invocation, g._local.offset, g._local.issued = None, 0.0, None
        print(" ".join([tx("a", 100.0, 100.0, "hot"), tx("b", 100.5, 99.9, "hot"), tx("c", 100.5, 100.005, "hot"),
                        tx("d", 100.5, 100.5, "hot"), tx("e", 100.6, 100.55, "cold"), tx("d", 100.7, 100.501, "hot"),
                        tx("f", 101.0, None, "hot")]))
        """);
    Process p = new ProcessBuilder("python3", script.toString(), module.toAbsolutePath().toString()).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // a commits; b was issued before a committed, c 5 ms after: both cancelled; d (0.5 s later), e (another
    // item), d again (its own write) and f (no issue stamp: checked as of now, 0.3 s later) pass.
    assertThat(out.lines().reduce((x, y) -> y).orElse("")).isEqualTo("ok conflict conflict ok ok ok ok");
  }

  private static List<Boolean> decisions(Faults f) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      out.add(f.inject(FaultPlan.Kind.CRASH, "fn" + (i % 3)));
    }
    return out;
  }
}
