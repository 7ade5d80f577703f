package dev.goalpost.platform.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;

/**
 * Synthetic HTTP API events for SnapStart priming: a read of something that does not exist, by a caller of an
 * org no tenant can have ({@value #ORG}), so priming runs the real path (claims, routing, DynamoDB, JSON,
 * problem+json) and touches no data.
 */
public final class PrimingEvents {
  public static final String ORG = "__priming__";

  private PrimingEvents() {}

  /** {@code GET} of {@code routeKey} with these path parameters, as an org admin of the priming org. */
  public static APIGatewayV2HTTPEvent get(String routeKey, Map<String, String> pathParameters) {
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(routeKey)
        .withRawPath(routeKey.substring(routeKey.indexOf(' ') + 1))
        .withPathParameters(pathParameters)
        .withHeaders(Map.of("content-type", "application/json"))
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                    .withClaims(Map.of("sub", "priming", "org_id", ORG, "roles", "[admin]", "groups", "[]"))
                    .build())
                .build())
            .build())
        .build();
  }

  /** A Runnable that sends that event through the router (the warm-up of an API handler). */
  public static Runnable through(Router router, String routeKey, Map<String, String> pathParameters) {
    APIGatewayV2HTTPEvent event = get(routeKey, pathParameters);
    return () -> router.handle(event);
  }
}
