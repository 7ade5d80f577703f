package dev.goalpost.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

/** A schedule target taking the default event as a {@link ScheduledEvent}. */
public final class ProbeDaily implements RequestHandler<ScheduledEvent, Void> {
  public static final String NAME = "ProbeDailyFunction";

  @Override
  public Void handleRequest(ScheduledEvent event, Context context) {
    ProbeLog.record(NAME, event);
    return null;
  }
}
