package dev.goalpost.local.iam;

import java.util.List;

/**
 * One resolved IAM policy statement: {@code Effect}, {@code Action} or {@code NotAction}, {@code Resource} or
 * {@code NotResource}, every value a plain string (intrinsics already resolved). Actions match
 * case-insensitively, resources case-sensitively, both with IAM's {@code *} and {@code ?} wildcards, which may
 * span ARN segments ({@code arn:aws:dynamodb:*:*:table/T*} matches {@code table/T/index/GSI1}).
 *
 * <p>{@code hasCondition}: the statement carried a {@code Condition} the local cloud does not evaluate; it is
 * applied as if the condition held (an Allow grants, a Deny denies) and logged when the policy is read.
 */
public record Statement(boolean allow, List<String> actions, boolean notAction, List<String> resources,
                        boolean notResource, boolean hasCondition) {

  public Statement {
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
  }

  public static Statement allow(List<String> actions, List<String> resources) {
    return new Statement(true, actions, false, resources, false, false);
  }

  public static Statement deny(List<String> actions, List<String> resources) {
    return new Statement(false, actions, false, resources, false, false);
  }

  /** Whether this statement applies to {@code action} on {@code resource}. */
  public boolean matches(String action, String resource) {
    boolean actionListed = actions.stream().anyMatch(p -> Wildcards.matches(p, action, true));
    boolean resourceListed = resources.stream().anyMatch(p -> Wildcards.matches(p, resource, false));
    return actionListed != notAction && resourceListed != notResource;
  }
}
