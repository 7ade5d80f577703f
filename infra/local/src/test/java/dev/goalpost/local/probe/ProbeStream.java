package dev.goalpost.local.probe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;

/**
 * Records every stream batch it is handed; reports the first record whose new image has {@code fail} as failed
 * (by its sequence number, the partial batch response of a stream).
 */
public final class ProbeStream implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  public static final String NAME = "ProbeStreamFunction";
  /** When (System.nanoTime) each key was first handed over. */
  public static final Map<String, Long> FIRST_SEEN = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    ProbeLog.record(NAME, event);
    for (Object r : (List<Object>) event.get("Records")) {
      Map<String, Object> ddb = (Map<String, Object>) ((Map<String, Object>) r).get("dynamodb");
      Object pk = ((Map<String, Object>) ((Map<String, Object>) ddb.get("Keys")).get("PK")).get("S");
      FIRST_SEEN.putIfAbsent(String.valueOf(pk), System.nanoTime());
      Map<String, Object> image = (Map<String, Object>) ddb.get("NewImage");
      if (image != null && image.containsKey("fail")) {
        return Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", ddb.get("SequenceNumber"))));
      }
    }
    return Map.of("batchItemFailures", List.of());
  }
}
