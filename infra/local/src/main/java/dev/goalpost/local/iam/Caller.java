package dev.goalpost.local.iam;

/**
 * Who is making the AWS calls on this thread: a hosted function, with its execution role's policy. The
 * hosting code sets it around a function's construction and each invocation ({@link #runAs}); threads the
 * function starts inherit it, as they share its execution role. Calls with no caller (the local cloud's own
 * provisioning and polling, tests and benchmarks) are not checked, as they are not a function's.
 *
 * @param principalArn the role session ARN AWS names in AccessDenied messages
 */
public record Caller(String functionLogicalId, String principalArn, Policy policy, String region, String accountId) {
  private static final InheritableThreadLocal<Caller> CURRENT = new InheritableThreadLocal<>();

  public static Caller current() {
    return CURRENT.get();
  }

  /** Runs {@code work} as {@code caller} (null: unchecked), restoring the previous caller afterwards. */
  public static <T, E extends Exception> T runAs(Caller caller, Work<T, E> work) throws E {
    Caller previous = CURRENT.get();
    CURRENT.set(caller);
    try {
      return work.run();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  public String arn(String service, String resource) {
    return "arn:aws:" + service + ":" + region + ":" + accountId + ":" + resource;
  }

  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T run() throws E;
  }
}
