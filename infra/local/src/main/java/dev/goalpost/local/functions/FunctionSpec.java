package dev.goalpost.local.functions;

import java.util.List;
import java.util.Map;

/** A {@code AWS::Serverless::Function} as the local cloud runs it: resolved handler, variables and events. */
public record FunctionSpec(
    String logicalId,
    String functionName,
    String functionArn,
    String handler,
    Map<String, String> environment,
    int memoryMb,
    int timeoutSeconds,
    List<EventSource> events) {

  public FunctionSpec {
    environment = Map.copyOf(environment);
    events = List.copyOf(events);
  }

  public String handlerClass() {
    int sep = handler.indexOf("::");
    return sep < 0 ? handler : handler.substring(0, sep);
  }

  public String handlerMethod() {
    int sep = handler.indexOf("::");
    return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
  }
}
