package dev.goalpost.local.faults;

import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Which hosted function invocation an AWS call belongs to. A global SDK interceptor (registered in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}) puts it on every request as
 * {@code x-goalpost-function} (the logical id) and {@code x-goalpost-invocation} (one id per invocation, shared
 * by the threads the handler starts). The launcher's fault mode injects faults only into requests that carry
 * them: the local cloud's own calls (provisioning, queue polling, the tests' reads) are never faulted. The
 * conflict window also uses the invocation id: two writes of one invocation never conflict with each other.
 */
public final class Invocations implements ExecutionInterceptor {
  public static final String FUNCTION_HEADER = "x-goalpost-function";
  public static final String INVOCATION_HEADER = "x-goalpost-invocation";

  record Current(String function, String invocation) {}

  private static final InheritableThreadLocal<Current> CURRENT = new InheritableThreadLocal<>();

  /** Runs {@code body} as one invocation of {@code function}. */
  public static <T> T within(String function, Supplier<T> body) {
    Current before = CURRENT.get();
    CURRENT.set(new Current(function, UUID.randomUUID().toString()));
    try {
      return body.get();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    Current c = CURRENT.get();
    if (c == null) {
      return context.httpRequest();
    }
    return context.httpRequest().toBuilder()
        .putHeader(FUNCTION_HEADER, c.function())
        .putHeader(INVOCATION_HEADER, c.invocation())
        .build();
  }
}
