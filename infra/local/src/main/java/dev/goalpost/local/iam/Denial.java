package dev.goalpost.local.iam;

/** A call IAM refused: who, what, on which resource, and the message AWS would give. */
public record Denial(String functionLogicalId, String principalArn, String service, String action, String resource,
                     Policy.Decision decision) {

  /** The message of AWS's AccessDenied errors for a role session. */
  public String message() {
    return "User: " + principalArn + " is not authorized to perform: " + action + " on resource: " + resource
        + (decision == Policy.Decision.EXPLICIT_DENY
            ? " with an explicit deny in an identity-based policy"
            : " because no identity-based policy allows the " + action + " action");
  }
}
