package dev.goalpost.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /threads/{id}/messages}: a script ({@code scriptId}: one of the goal's, or an agent's own
 * {@code ascr_…}) or free text ({@code body}); {@code batchId} when the send works a claimed batch;
 * {@code goalId} for a reply (defaults to the thread's goal).
 */
record SendRequest(Optional<String> scriptId, Optional<String> body, Optional<String> batchId,
                   Optional<String> goalId) {
  static final int FREE_TEXT_MAX = 1_600;

  static SendRequest parse(JsonNode json) {
    Violations v = new Violations();
    Fields f = Fields.ofBody(json, v);
    f.allowOnly(Set.of("scriptId", "body", "batchId", "goalId"));
    Optional<String> scriptId = f.string("scriptId");
    Optional<String> body = f.string("body");
    if (scriptId.isPresent() == body.isPresent()) {
      v.add("scriptId", "give exactly one of scriptId (a script) or body (free text)");
    }
    body.ifPresent(b -> {
      if (b.isBlank()) {
        v.add("body", "must not be blank");
      } else if (b.codePointCount(0, b.length()) > FREE_TEXT_MAX) {
        v.add("body", "may be at most " + FREE_TEXT_MAX + " characters");
      }
    });
    Optional<String> batchId = f.string("batchId");
    Optional<String> goalId = f.string("goalId");
    v.throwIfAny();
    batchId.ifPresent(Batch::parse);
    if (batchId.isPresent() && goalId.isPresent() && !Batch.parse(batchId.get()).goalId().equals(goalId.get())) {
      throw ApiException.invalid("goalId", "does not match the goal of batch " + batchId.get());
    }
    return new SendRequest(scriptId, body, batchId, goalId);
  }
}
