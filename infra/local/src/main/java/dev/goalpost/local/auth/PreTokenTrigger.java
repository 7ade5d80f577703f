package dev.goalpost.local.auth;

import dev.goalpost.local.functions.EventSource;
import dev.goalpost.local.functions.FunctionRegistry;
import dev.goalpost.local.functions.FunctionSpec;
import dev.goalpost.local.functions.HostedFunction;
import dev.goalpost.local.template.Yamls;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.http.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The template's Cognito pre-token-generation trigger ({@code Events: {Type: Cognito, Properties: {Trigger:
 * PreTokenGeneration}}}), run the way Cognito runs it at sign-in: a V1 {@code TokenGeneration_Authentication}
 * event with the user's attributes ({@code sub}, {@code custom:org_id}) and Cognito groups, whose answer's
 * {@code claimsToAddOrOverride} / {@code claimsToSuppress} become the token's claims. So a local token carries
 * exactly the claims the deployed pool would give the same user, read from the same stored memberships.
 */
public final class PreTokenTrigger {
  public static final String TRIGGER = "PreTokenGeneration";

  private final String functionId;
  private final HostedFunction function;
  private final String unavailable;
  private final String region;

  private PreTokenTrigger(String functionId, HostedFunction function, String unavailable, String region) {
    this.functionId = functionId;
    this.function = function;
    this.unavailable = unavailable;
    this.region = region;
  }

  /** The function of the template that has a {@value #TRIGGER} Cognito event (at most one may). */
  public static PreTokenTrigger from(FunctionRegistry functions, String region) {
    List<FunctionSpec> triggers = functions.specs().stream()
        .filter(s -> s.events().stream().anyMatch(e -> e instanceof EventSource.Cognito c && c.triggers().contains(TRIGGER)))
        .toList();
    if (triggers.size() > 1) {
      throw new IllegalStateException("More than one function has a Cognito " + TRIGGER + " trigger: "
          + triggers.stream().map(FunctionSpec::logicalId).toList());
    }
    if (triggers.isEmpty()) {
      return new PreTokenTrigger(null, null, "the template has no function with a Cognito " + TRIGGER + " trigger", region);
    }
    String id = triggers.getFirst().logicalId();
    Optional<HostedFunction> fn = functions.function(id);
    return new PreTokenTrigger(id, fn.orElse(null),
        fn.isPresent() ? null : id + " is not loaded: " + functions.unavailableReason(id).orElse("unknown"), region);
  }

  public Optional<String> functionId() {
    return Optional.ofNullable(functionId);
  }

  /**
   * Runs the trigger for {@code userId} of {@code orgId} in the Cognito groups {@code cognitoGroups} and returns
   * the claims it adds (suppressed claims map to null). Throws a 500 problem when the trigger cannot run.
   */
  public Map<String, Object> claims(String userId, String orgId, List<String> cognitoGroups) {
    if (function == null) {
      throw new ApiException(500, "pre-token-trigger-unavailable", "Cannot run the pre-token trigger",
          "POST /_local/token without explicit claims runs the Cognito pre-token trigger, but " + unavailable, List.of());
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "1");
    event.put("triggerSource", "TokenGeneration_Authentication");
    event.put("region", region);
    event.put("userPoolId", region + "_local");
    event.put("userName", userId);
    event.put("callerContext", Map.of("awsSdkVersion", "local", "clientId", LocalIssuer.AUDIENCE));
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("sub", userId);
    attributes.put("custom:org_id", orgId);
    Map<String, Object> groupConfiguration = new LinkedHashMap<>();
    groupConfiguration.put("groupsToOverride", cognitoGroups);
    groupConfiguration.put("iamRolesToOverride", List.of());
    event.put("request", Map.of("userAttributes", attributes, "groupConfiguration", groupConfiguration));
    event.put("response", Map.of());
    Object answer;
    try {
      answer = function.invoke(event);
    } catch (RuntimeException e) {
      throw new ApiException(500, "pre-token-trigger-failed", "The pre-token trigger failed",
          functionId + " failed: " + e, List.of());
    }
    Map<String, Object> details = Yamls.map(Yamls.at(Yamls.map(Json.MAPPER.convertValue(answer, Map.class)),
        "response", "claimsOverrideDetails"));
    Map<String, Object> out = new LinkedHashMap<>(Yamls.map(details.get("claimsToAddOrOverride")));
    for (Object suppressed : Yamls.list(details.get("claimsToSuppress"))) {
      out.put(String.valueOf(suppressed), null);
    }
    return out;
  }
}
