package dev.goalpost.local.carrier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every text the local carrier "sent", in order. One per JVM, like the local clock: the sender function finds
 * the carrier through {@link java.util.ServiceLoader}, the local cloud's endpoints read the same outbox.
 */
public final class LocalOutbox {
  private static final LocalOutbox SHARED = new LocalOutbox();

  /**
   * One recorded text; {@code provider} is the API it came through: {@code local} (in-process),
   * {@code twilio} (the Messages API) or {@code aws} (End User Messaging SMS SendTextMessage); {@code statusCallback} is the
   * URL a Twilio request named, if any.
   */
  public record Sent(String providerMessageId, String messageId, String from, String to, String body, Instant at,
                     String provider, String statusCallback) {
    public Sent(String providerMessageId, String messageId, String from, String to, String body, Instant at) {
      this(providerMessageId, messageId, from, to, body, at, "local", null);
    }
  }

  private final List<Sent> sent = new ArrayList<>();

  public static LocalOutbox shared() {
    return SHARED;
  }

  public synchronized void add(Sent s) {
    sent.add(s);
  }

  public synchronized List<Sent> all() {
    return List.copyOf(sent);
  }

  public synchronized java.util.Optional<Sent> byProviderId(String providerMessageId) {
    return sent.stream().filter(s -> s.providerMessageId().equals(providerMessageId)).findFirst();
  }

  public synchronized List<Sent> to(String phone) {
    return sent.stream().filter(s -> s.to().equals(phone)).toList();
  }
}
