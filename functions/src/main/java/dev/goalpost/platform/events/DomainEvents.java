package dev.goalpost.platform.events;

import dev.goalpost.platform.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Publishes domain events with PutEvents on the app's bus, after the state change they report is stored.
 * PutEvents can accept a call yet refuse some entries ({@code FailedEntryCount}); those entries, and only
 * those, are sent again, up to {@value #ATTEMPTS} attempts. If entries still fail the call throws, so the
 * caller's work is retried (an API answer of 503, or an SQS redelivery) — an event is never silently dropped.
 * Delivery is therefore at least once; consumers dedupe on the detail's identifying fields.
 * Cost: 1 PutEvents per 10 events (one 64 KB "event" each on the bill).
 */
public final class DomainEvents {
  static final int ATTEMPTS = 4;
  static final int MAX_PER_CALL = 10;
  private static final Logger LOG = Logger.getLogger(DomainEvents.class.getName());

  private final EventBridgeClient events;
  private final String busName;

  public DomainEvents(EventBridgeClient events, String busName) {
    this.events = events;
    this.busName = busName;
  }

  /** Thrown when some events could not be put after every attempt. */
  public static final class PublishFailed extends RuntimeException {
    PublishFailed(String message) {
      super(message);
    }
  }

  public void publish(List<DomainEvent> batch) {
    for (int from = 0; from < batch.size(); from += MAX_PER_CALL) {
      publishChunk(batch.subList(from, Math.min(batch.size(), from + MAX_PER_CALL)));
    }
  }

  public void publish(DomainEvent event) {
    publish(List.of(event));
  }

  private void publishChunk(List<DomainEvent> chunk) {
    List<PutEventsRequestEntry> pending = new ArrayList<>();
    for (DomainEvent e : chunk) {
      pending.add(PutEventsRequestEntry.builder().eventBusName(busName).source(DomainEvent.SOURCE)
          .detailType(e.type().name()).detail(Json.write(e.detail())).time(e.occurredAt()).build());
    }
    String lastError = "";
    for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
      PutEventsResponse res = events.putEvents(PutEventsRequest.builder().entries(pending).build());
      if (res.failedEntryCount() == null || res.failedEntryCount() == 0) {
        return;
      }
      List<PutEventsRequestEntry> retry = new ArrayList<>();
      for (int i = 0; i < res.entries().size() && i < pending.size(); i++) {
        PutEventsResultEntry r = res.entries().get(i);
        if (r.errorCode() != null) {
          retry.add(pending.get(i));
          lastError = r.errorCode() + ": " + r.errorMessage();
        }
      }
      LOG.warning(retry.size() + " event(s) refused by EventBridge (" + lastError + "); attempt " + attempt);
      pending = retry;
      backoff(attempt);
    }
    if (!pending.isEmpty()) {
      throw new PublishFailed(pending.size() + " event(s) could not be published: " + lastError);
    }
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(50L << attempt); // a short, real backoff between PutEvents retries (not a test wait)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
