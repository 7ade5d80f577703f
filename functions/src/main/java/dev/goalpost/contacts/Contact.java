package dev.goalpost.contacts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One person a group texts, unique by phone (E.164) within the group.
 *
 * @param timeZone where the contact lives, an IANA zone id (null: judged by the number's area; see
 *                 {@link ContactZones})
 */
public record Contact(
    String id,
    @JsonIgnore String orgId,
    String groupId,
    String phone,
    String firstName,
    String lastName,
    Map<String, String> customFields,
    String timeZone,
    List<String> tags,
    String assignedAgentId,
    boolean optedOut,
    String optOutSource,
    boolean deactivated,
    Instant createdAt,
    Instant updatedAt) {

  /** First and last name as an inbox shows them ({@code null} when the contact has neither). */
  public String displayName() {
    String full = ((firstName == null ? "" : firstName.trim()) + " " + (lastName == null ? "" : lastName.trim())).trim();
    return full.isEmpty() ? null : full;
  }
}
