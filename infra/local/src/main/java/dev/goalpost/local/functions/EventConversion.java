package dev.goalpost.local.functions;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.goalpost.local.template.Yamls;
import dev.goalpost.platform.Json;
import java.util.Map;
import org.joda.time.DateTime;

/**
 * Gives an event to a handler in the type it declares. The local cloud builds HTTP and SQS events as their
 * aws-lambda-java-events objects and schedule/EventBridge events as JSON-shaped maps; anything else goes
 * through Jackson, as the Lambda Java runtime's own serializer would.
 */
public final class EventConversion {
  private EventConversion() {}

  public static Object to(Class<?> type, Object event) {
    if (event == null || type.isInstance(event)) {
      return event;
    }
    if (type == ScheduledEvent.class && event instanceof Map<?, ?> map) {
      return scheduledEvent(Yamls.map(map));
    }
    if (type == String.class) {
      return Json.write(event);
    }
    return Json.MAPPER.convertValue(event, type);
  }

  /** ScheduledEvent's time is a Joda DateTime, which the shared mapper does not know; map it by hand. */
  private static ScheduledEvent scheduledEvent(Map<String, Object> m) {
    ScheduledEvent e = new ScheduledEvent()
        .withVersion(Yamls.string(m.get("version")))
        .withId(Yamls.string(m.get("id")))
        .withDetailType(Yamls.string(m.get("detail-type")))
        .withSource(Yamls.string(m.get("source")))
        .withAccount(Yamls.string(m.get("account")))
        .withRegion(Yamls.string(m.get("region")))
        .withResources(Yamls.list(m.get("resources")).stream().map(String::valueOf).toList())
        .withDetail(Yamls.map(m.get("detail")));
    if (m.get("time") != null) {
      e.setTime(DateTime.parse(String.valueOf(m.get("time"))));
    }
    return e;
  }

}
