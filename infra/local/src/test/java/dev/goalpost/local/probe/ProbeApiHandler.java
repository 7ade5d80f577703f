package dev.goalpost.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.goalpost.platform.ClockSource;
import dev.goalpost.platform.Env;
import dev.goalpost.platform.Json;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Echoes the payload-v2 event it received (and its init-time configuration) so ITs can inspect it. */
public final class ProbeApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  public static final String NAME = "ProbeApiFunction";
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Clock clock;

  public ProbeApiHandler() {
    for (String k : List.of("PROBE_QUEUE_URL", "PROBE_TABLE_ARN", "PROBE_GREETING", "TABLE_NAME", "AWS_LAMBDA_FUNCTION_NAME")) {
      env.put(k, Env.get(k).orElse(null));
    }
    clock = ClockSource.runtimeClock();
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    ProbeLog.record(NAME, event);
    if (event.getRouteKey().equals("GET /_probe/boom")) {
      throw new IllegalStateException("boom, as asked");
    }
    Map<String, Object> echo = new LinkedHashMap<>();
    echo.put("event", event);
    echo.put("env", env);
    echo.put("functionNow", clock.instant().toString());
    echo.put("functionName", context.getFunctionName());
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(event.getRequestContext().getHttp().getMethod().equals("POST") ? 201 : 200)
        .withHeaders(Map.of("content-type", "application/json", "X-Probe", "yes"))
        .withCookies(List.of("probe=1; Path=/", "second=2"))
        .withBody(Json.write(echo))
        .build();
  }
}
