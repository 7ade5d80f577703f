package dev.goalpost.platform.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Dispatches an HTTP API event on its {@code routeKey} ("POST /groups/{groupId}/members/{userId}") — the
 * route the template declared — to one route function, and turns every outcome into a response: domain
 * refusals into problem+json, anything unexpected into a 500 that leaks nothing.
 */
public final class Router {
  @FunctionalInterface
  public interface Route {
    APIGatewayV2HTTPResponse handle(ApiRequest request);
  }

  private static final Logger LOG = Logger.getLogger(Router.class.getName());
  private final Map<String, Route> routes = new LinkedHashMap<>();
  private final java.util.Set<String> open = new java.util.HashSet<>();

  public Router on(String routeKey, Route route) {
    routes.put(routeKey, route);
    return this;
  }

  /**
   * A route without a JWT ({@code Auth: Authorizer: NONE} in the template), e.g. carrier webhooks that
   * authenticate by signature; its request has no principal.
   */
  public Router onUnauthenticated(String routeKey, Route route) {
    routes.put(routeKey, route);
    open.add(routeKey);
    return this;
  }

  public java.util.Set<String> routeKeys() {
    return java.util.Collections.unmodifiableSet(routes.keySet());
  }

  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
    try {
      Route route = routes.get(event.getRouteKey());
      if (route == null) {
        throw new ApiException(404, "no-such-route", "No such route",
            "This function does not serve " + event.getRouteKey(), java.util.List.of());
      }
      return route.handle(open.contains(event.getRouteKey()) ? ApiRequest.anonymous(event) : ApiRequest.of(event));
    } catch (ApiException e) {
      return ApiResponse.problem(e);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Unhandled error on " + event.getRouteKey(), e);
      return ApiResponse.problem(new ApiException(500, "internal", "Internal error",
          "The request failed unexpectedly; it is safe to retry", java.util.List.of()));
    }
  }
}
