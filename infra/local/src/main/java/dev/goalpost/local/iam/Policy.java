package dev.goalpost.local.iam;

import java.util.List;

/**
 * The identity-based policy of one function's execution role, evaluated as IAM evaluates it for a request in
 * the same account: an explicit {@code Deny} that applies wins; else an {@code Allow} that applies allows;
 * else the request is implicitly denied.
 */
public record Policy(List<Statement> statements) {
  public Policy {
    statements = List.copyOf(statements);
  }

  public enum Decision { ALLOW, IMPLICIT_DENY, EXPLICIT_DENY }

  public Decision evaluate(String action, String resource) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (s.matches(action, resource)) {
        if (!s.allow()) {
          return Decision.EXPLICIT_DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
  }
}
