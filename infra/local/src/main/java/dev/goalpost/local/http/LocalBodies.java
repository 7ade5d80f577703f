package dev.goalpost.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.goalpost.platform.Json;
import dev.goalpost.platform.http.ApiException;
import dev.goalpost.platform.http.ApiResponse;
import dev.goalpost.platform.http.Fields;
import dev.goalpost.platform.http.Violations;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Request-body reading and error answers for the {@code /_local} routes, in the project's own problem+json
 * form (the platform's {@link ApiResponse#problem}), so a mistyped field is named exactly as the API names it.
 */
public final class LocalBodies {
  private LocalBodies() {}

  public static Fields fields(IncomingRequest req, Violations violations) {
    String text = req.body() == null ? "" : new String(req.body(), StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw badRequest("The request needs a JSON object body");
    }
    JsonNode node;
    try {
      node = Json.read(text);
    } catch (Exception e) {
      throw badRequest("The body is not valid JSON");
    }
    return Fields.ofBody(node, violations);
  }

  /** 400 naming each field (the local routes answer 400, not 422, for any input they cannot use). */
  public static void throwIfInvalid(Violations violations) {
    if (!violations.isEmpty()) {
      List<dev.goalpost.platform.http.FieldError> errors = violations.list();
      String detail = errors.size() == 1
          ? errors.getFirst().field() + ": " + errors.getFirst().message()
          : errors.size() + " fields are invalid; see errors";
      throw new ApiException(400, "validation-failed", "The request has invalid fields", detail, errors);
    }
  }

  static ApiException badRequest(String detail) {
    return ApiException.badRequest(detail);
  }

  public static OutgoingResponse problem(ApiException e) {
    return ResponseMapper.map(ApiResponse.problem(e));
  }
}
