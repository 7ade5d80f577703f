package dev.goalpost.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * IAM for hosted functions: a global SDK interceptor (registered for every client of the JVM by
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}) that checks each request made on a
 * thread with a {@link Caller} against that function's policy before it is sent. A request IAM would refuse
 * is sent to the {@link DenyEndpoint} instead of the emulator, which answers with the service's AccessDenied
 * error, so the handler gets the SDK exception it would get on AWS and nothing is written. Every denial is
 * logged (WARNING, logger {@code dev.goalpost.local.iam}) and kept for {@link #denials()}.
 */
public final class IamInterceptor implements ExecutionInterceptor {
  private static final Logger LOG = Logger.getLogger(IamInterceptor.class.getName());
  private static final ExecutionAttribute<Denial> DENIAL = new ExecutionAttribute<>("goalpost.iam.denial");
  private static final ExecutionAttribute<String> TOKEN = new ExecutionAttribute<>("goalpost.iam.token");
  private static final int KEPT = 1000;
  private static final List<Denial> RECENT = new CopyOnWriteArrayList<>();
  private static final AtomicLong COUNT = new AtomicLong();

  /** The denials of this JVM so far (the last {@value #KEPT}). */
  public static List<Denial> denials() {
    return new ArrayList<>(RECENT);
  }

  public static long denialCount() {
    return COUNT.get();
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
    Caller caller = Caller.current();
    if (caller == null) {
      return;
    }
    String operation = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    for (Authorization.Check check : Authorization.of(context.request(), operation, caller)) {
      Policy.Decision decision = caller.policy().evaluate(check.action(), check.resource());
      if (decision != Policy.Decision.ALLOW) {
        Denial d = new Denial(caller.functionLogicalId(), caller.principalArn(),
            Authorization.servicePrefix(context.request()), check.action(), check.resource(), decision);
        record(d, operation);
        attrs.putAttribute(DENIAL, d);
        attrs.putAttribute(TOKEN, DenyEndpoint.newToken());
        return;
      }
    }
  }

  private static void record(Denial d, String operation) {
    COUNT.incrementAndGet();
    RECENT.add(d);
    while (RECENT.size() > KEPT) {
      RECENT.remove(0);
    }
    LOG.warning(() -> "IAM DENIED " + d.functionLogicalId() + " " + operation + ": " + d.action() + " on "
        + d.resource() + " (" + (d.decision() == Policy.Decision.EXPLICIT_DENY ? "explicit Deny" : "not allowed")
        + " by its Policies in the template)");
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attrs) {
    Denial d = attrs.getAttribute(DENIAL);
    return d == null ? context.httpRequest() : DenyEndpoint.redirect(context.httpRequest(), attrs.getAttribute(TOKEN), d);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attrs) {
    forget(attrs);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attrs) {
    forget(attrs);
  }

  private static void forget(ExecutionAttributes attrs) {
    String token = attrs.getAttribute(TOKEN);
    if (token != null) {
      DenyEndpoint.forget(token);
    }
  }
}
