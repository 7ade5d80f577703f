package dev.goalpost.groups;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPreTokenGenerationEvent;
import dev.goalpost.platform.AwsClients;
import dev.goalpost.platform.Table;
import dev.goalpost.platform.auth.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Cognito pre-token-generation trigger: writes the claims every API call is authorized from into the ID
 * token — {@code org_id} (the user's immutable {@code custom:org_id}), {@code roles} ("admin" for members of
 * the Cognito group {@value #ADMINS_GROUP}, plus the user's group roles) and {@code groups} (the group ids the
 * user is a member of). Lists are space-separated strings, which {@link Principal} reads.
 *
 * <p>Membership changes reach the token at its next refresh (at most the token's lifetime, 1 hour by default).
 * A user without an org gets no org claim, so every API call answers 401.
 */
public final class TokenClaimsHandler
    implements RequestHandler<CognitoUserPoolPreTokenGenerationEvent, CognitoUserPoolPreTokenGenerationEvent> {
  public static final String ADMINS_GROUP = "admins";
  static final String ORG_ATTRIBUTE = "custom:org_id";

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
      roles.add("admin");
    }
    Set<String> groups = new TreeSet<>();
    for (Member m : memberships.apply(orgId, userId)) {
      groups.add(m.groupId());
      roles.add(m.role().wire());
    }
    event.setResponse(CognitoUserPoolPreTokenGenerationEvent.Response.builder()
        .withClaimsOverrideDetails(CognitoUserPoolPreTokenGenerationEvent.ClaimsOverrideDetails.builder()
            .withClaimsToAddOrOverride(Map.of(
                Principal.ORG_CLAIM, orgId,
                Principal.ROLES_CLAIM, String.join(" ", roles),
                Principal.GROUPS_CLAIM, String.join(" ", groups)))
            .build())
        .build());
    return event;
  }
}
