package dev.goalpost.platform.http;

import java.util.List;

/**
 * A request the API refuses, rendered as {@code application/problem+json} (RFC 9457). The {@code type} is a
 * stable URI fragment clients may switch on; {@code errors} names each offending field.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final String title;
  private final List<FieldError> errors;

  public ApiException(int status, String type, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.type = type;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "malformed-request", "Malformed request", detail, List.of());
  }

  public static ApiException validation(List<FieldError> errors) {
    String detail = errors.size() == 1
        ? errors.getFirst().field() + ": " + errors.getFirst().message()
        : errors.size() + " fields are invalid; see errors";
    return new ApiException(422, "validation-failed", "The request has invalid fields", detail, errors);
  }

  public static ApiException invalid(String field, String message) {
    return validation(List.of(new FieldError(field, message)));
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthorized", "Not authenticated", detail, List.of());
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "Not allowed", detail, List.of());
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not-found", "Not found", what + " does not exist", List.of());
  }

  public static ApiException conflict(String type, String detail) {
    return new ApiException(409, type, "Conflict", detail, List.of());
  }

  public int status() { return status; }
  public String type() { return type; }
  public String title() { return title; }
  public List<FieldError> errors() { return errors; }
}
