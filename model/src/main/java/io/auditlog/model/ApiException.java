package io.auditlog.model;

import java.util.List;

/**
 * The one error type of the service: an HTTP status, a stable machine code and either a human sentence or the list
 * of failing fields. Every route fails with it; one failure handler renders it as {@code {"detail": ...}}.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String type;
  private final List<FieldError> fieldErrors;
  private final long retryAfterSeconds;

  private ApiException(int status, String type, String message, List<FieldError> fieldErrors,
      long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.fieldErrors = List.copyOf(fieldErrors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException of(int status, String type, String message) {
    return new ApiException(status, type, message, List.of(), 0);
  }

  public static ApiException validation(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation error needs at least one field error");
    }
    return new ApiException(422, "validation_error", errors.get(0).msg(), errors, 0);
  }

  public static ApiException validation(FieldError error) {
    return validation(List.of(error));
  }

  public static ApiException unauthorized(String message) {
    return of(401, "unauthorized", message);
  }

  public static ApiException notFound(String message) {
    return of(404, "not_found", message);
  }

  /** 503: a dependency is down; the client may retry after {@code retryAfterSeconds}. */
  public static ApiException unavailable(String type, String message, long retryAfterSeconds) {
    return new ApiException(503, type, message, List.of(), retryAfterSeconds);
  }

  /** 429: refused until {@code retryAfterSeconds} have passed. */
  public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
    return new ApiException(429, "too_many_requests", message, List.of(), retryAfterSeconds);
  }

  /** The same error with a {@code Retry-After} of {@code seconds}: for answers that will change soon. */
  public ApiException retryAfter(long seconds) {
    return new ApiException(status, type, getMessage(), fieldErrors, seconds);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** The failing fields of a 422; empty for every other error. */
  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }

  /** Seconds for a {@code Retry-After} header; 0 when there is none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public boolean isValidation() {
    return !fieldErrors.isEmpty();
  }
}
