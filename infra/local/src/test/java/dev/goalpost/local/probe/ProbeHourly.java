package dev.goalpost.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A schedule target taking the schedule's Input as a map. */
public final class ProbeHourly implements RequestHandler<Map<String, Object>, Void> {
  public static final String NAME = "ProbeHourlyFunction";

  @Override
  public Void handleRequest(Map<String, Object> input, Context context) {
    ProbeLog.record(NAME, input);
    return null;
  }
}
