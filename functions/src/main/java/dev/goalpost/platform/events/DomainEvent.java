package dev.goalpost.platform.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fact other systems may subscribe to, put on the app's EventBridge bus with source {@value #SOURCE} and
 * {@code detail-type} = {@link Type#name()}. Every detail carries {@code schemaVersion}, {@code orgId} and
 * {@code occurredAt}; the rest is per type — see {@code EVENTS.md} beside this class for each versioned schema.
 */
public record DomainEvent(Type type, String orgId, Instant occurredAt, Map<String, Object> fields) {
  public static final String SOURCE = "goalpost";

  public enum Type {
    GoalStatusChanged("1"), ContactOptedOut("1"), ReplyReceived("1"), LeadActionRecorded("1");

    private final String schemaVersion;

    Type(String schemaVersion) {
      this.schemaVersion = schemaVersion;
    }

    public String schemaVersion() {
      return schemaVersion;
    }
  }

  /** The event's {@code detail}: the common fields first, then the type's own. */
  public Map<String, Object> detail() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("schemaVersion", type.schemaVersion());
    d.put("orgId", orgId);
    d.put("occurredAt", occurredAt.toString());
    d.putAll(fields);
    return d;
  }
}
