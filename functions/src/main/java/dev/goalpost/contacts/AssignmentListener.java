package dev.goalpost.contacts;

import java.time.Instant;
import java.util.Optional;

/**
 * Told when a contact's assigned agent changed (by a PATCH or an import), so the work that follows the
 * assignment — the thread, the ASSIGNED goals' batches — moves at once. Implemented by the workflows.
 */
public interface AssignmentListener {
  AssignmentListener NONE = (org, groupId, contactId, previous, next, now) -> { };

  void reassigned(String org, String groupId, String contactId, String previous, Optional<String> next, Instant now);
}
