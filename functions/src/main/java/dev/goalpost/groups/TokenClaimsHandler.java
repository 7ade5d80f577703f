package dev.goalpost.groups;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEvent;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.auth.Principal;
import dev.goalpost.platform.auth.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Cognito pre-token-generation trigger: writes the claims every API call is authorized from into the ID
 * token — {@code org_id} (the user's immutable {@code custom:org_id}), {@code roles} (org-wide: "admin" for
 * members of the Cognito group {@value #ADMINS_GROUP}) and {@code group_roles}, the user's role in each group
 * they are a member of, as one string {@code "grp_a:manager grp_b:agent"} (sorted by group id), which
 * {@link Principal} reads. One string claim, because API Gateway hands every claim to the function as a string
 * anyway, and because it is the most compact form: a membership costs about 33 bytes of claim (44 once
 * base64url-encoded in the token).
 *
 * <p>Size: API Gateway HTTP APIs refuse requests whose request line and headers exceed 10,240 bytes, and the
 * token travels in the Authorization header; the rest of a Cognito ID token is about 1 KB. So the claim
 * carries at most {@value #MAX_GROUPS} memberships (about 6.6 KB in the header); a user in more groups gets
 * the first {@value #MAX_GROUPS} by group id, and the cut is logged. Admins need none (they act org-wide).
 *
 * <p>Cost: one GSI1 Query per token issue or refresh (about 1 RCU for up to ~30 memberships, plus one per 4 KB).
 * Membership changes reach the token at its next refresh (at most the token's lifetime, 1 hour by default).
 * A user without an org gets no org claim, so every API call answers 401.
 */
public final class TokenClaimsHandler
    implements RequestHandler<CognitoUserPoolPreTokenGenerationEvent, CognitoUserPoolPreTokenGenerationEvent> {
  public static final String ADMINS_GROUP = "admins";
  public static final int MAX_GROUPS = 150;
  static final String ORG_ATTRIBUTE = "custom:org_id";
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(TokenClaimsHandler.class.getName());

  private final BiFunction<String, String, List<Member>> memberships;
  /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
  private dev.goalpost.platform.Priming priming;

  public TokenClaimsHandler() {
    GroupRepository repo = new GroupRepository(new AwsClients().dynamo(), Table.fromEnv());
    this.memberships = repo::membershipsOf;
    // Priming reads the memberships of a user of the priming org: the real read path, no side effect.
    this.priming = dev.goalpost.platform.Priming.register(() -> memberships.apply(
        dev.goalpost.platform.http.PrimingEvents.ORG, "priming"));
  }

  TokenClaimsHandler(BiFunction<String, String, List<Member>> memberships) {
    this.memberships = memberships;
  }

  @Override
  public CognitoUserPoolPreTokenGenerationEvent handleRequest(CognitoUserPoolPreTokenGenerationEvent event,
                                                              Context context) {
    var request = event.getRequest();
    Map<String, String> attributes = request.getUserAttributes();
    String userId = attributes.get("sub");
    String orgId = attributes.get(ORG_ATTRIBUTE);
    if (orgId == null || orgId.isBlank() || userId == null) {
      return event;
    }
    Set<String> roles = new TreeSet<>();
    var groupConfig = request.getGroupConfiguration();
    if (groupConfig != null && groupConfig.getGroupsToOverride() != null
        && Arrays.asList(groupConfig.getGroupsToOverride()).contains(ADMINS_GROUP)) {
      roles.add(Role.ADMIN.wire());
    }
    Map<String, Role> groupRoles = new TreeMap<>();
    for (Member m : memberships.apply(orgId, userId)) {
      groupRoles.put(m.groupId(), m.role() == MemberRole.MANAGER ? Role.MANAGER : Role.AGENT);
    }
    int memberOf = groupRoles.size();
    if (memberOf > MAX_GROUPS) {
      LOG.warning(() -> "User " + userId + " of org " + orgId + " is a member of " + memberOf
          + " groups; the token carries the first " + MAX_GROUPS + " by group id");
      var keep = groupRoles.keySet().stream().limit(MAX_GROUPS).toList();
      groupRoles.keySet().retainAll(keep);
    }
    event.setResponse(CognitoUserPoolPreTokenGenerationEvent.Response.builder()
        .withClaimsOverrideDetails(CognitoUserPoolPreTokenGenerationEvent.ClaimsOverrideDetails.builder()
            .withClaimsToAddOrOverride(Map.of(
                Principal.ORG_CLAIM, orgId,
                Principal.ROLES_CLAIM, String.join(" ", roles),
                Principal.GROUP_ROLES_CLAIM, Principal.formatGroupRoles(groupRoles)))
            .build())
        .build());
    return event;
  }
}
