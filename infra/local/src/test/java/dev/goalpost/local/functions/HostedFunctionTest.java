package dev.goalpost.local.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.goalpost.local.iam.Caller;
import dev.goalpost.local.iam.Policy;
import dev.goalpost.platform.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostedFunctionTest {
  /** Reads its configuration at construction, as handlers must. */
  public static final class Greeter implements RequestHandler<Map<String, Object>, String> {
    private final String greeting = Env.require("GREETING");

    @Override
    public String handleRequest(Map<String, Object> input, Context context) {
      return greeting + " " + input.get("name") + " from " + context.getFunctionName();
    }
  }

  public static final class Broken implements RequestHandler<String, String> {
    public Broken() {
      throw new IllegalStateException("no config");
    }

    @Override
    public String handleRequest(String input, Context context) {
      return input;
    }
  }

  /** Reports who its construction and its invocations run as (the IAM caller of the hosted function). */
  public static final class WhoAmI implements RequestHandler<String, String> {
    private final Caller builtAs = Caller.current();

    @Override
    public String handleRequest(String input, Context context) {
      Caller[] inThread = new Caller[1];
      Thread t = Thread.ofVirtual().unstarted(() -> inThread[0] = Caller.current());
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return builtAs.functionLogicalId() + "/" + Caller.current().functionLogicalId() + "/" + inThread[0].functionLogicalId();
    }
  }

  private static FunctionSpec spec(Class<?> handler, Map<String, String> env) {
    return new FunctionSpec("Fn", "p-Fn", "arn:aws:lambda:us-east-1:123456789012:function:p-Fn",
        handler.getName() + "::handleRequest", env, 128, 3, List.of());
  }

  @Test
  void handlerIsBuiltWithItsVariablesAndInvokedWithItsDeclaredInputType() throws Exception {
    HostedFunction f = HostedFunction.load(spec(Greeter.class, Map.of("GREETING", "hi")), getClass().getClassLoader());

    assertThat(f.inputType()).isEqualTo(Map.class);
    assertThat(f.invoke(Map.of("name", "Ana"))).isEqualTo("hi Ana from p-Fn");
    assertThat(Env.get("GREETING")).as("variables do not leak out of the constructor").isEmpty();
  }

  @Test
  void constructionInvocationsAndTheThreadsTheyStartRunAsTheFunctionsCallerAndNothingElseDoes() throws Exception {
    Caller caller = new Caller("Fn", "arn:aws:sts::123456789012:assumed-role/p-FnRole/p-Fn", new Policy(List.of()),
        "us-east-1", "123456789012");
    HostedFunction f = HostedFunction.load(spec(WhoAmI.class, Map.of()), getClass().getClassLoader(), caller);

    assertThat(f.invoke("x")).isEqualTo("Fn/Fn/Fn");
    assertThat(Caller.current()).as("the hosting thread after the invocation").isNull();
  }

  @Test
  void eventsAreConvertedToTheInputTypeThroughJson() throws Exception {
    HostedFunction f = HostedFunction.load(spec(Greeter.class, Map.of("GREETING", "yo")), getClass().getClassLoader());

    record Person(String name) {}

    assertThat(f.invoke(new Person("Bo"))).isEqualTo("yo Bo from p-Fn");
  }

  @Test
  void failingConstructorIsReportedAtLoad() {
    assertThatThrownBy(() -> HostedFunction.load(spec(Broken.class, Map.of()), getClass().getClassLoader()))
        .hasRootCauseMessage("no config");
  }

  @Test
  void registryKeepsGoingWhenAHandlerIsMissing() {
    FunctionSpec missing = new FunctionSpec("Gone", "p-Gone", "arn", "no.such.Handler::handleRequest", Map.of(), 128, 3, List.of());
    FunctionSpec ok = spec(Greeter.class, Map.of("GREETING", "hi"));

    FunctionRegistry registry = new FunctionRegistry(List.of(missing, ok), getClass().getClassLoader());

    assertThat(registry.function("Fn")).isPresent();
    assertThat(registry.function("Gone")).isEmpty();
    assertThat(registry.unavailableReason("Gone")).hasValueSatisfying(r -> assertThat(r).contains("no.such.Handler"));
  }
}
