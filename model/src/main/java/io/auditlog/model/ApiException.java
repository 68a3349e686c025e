package io.auditlog.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The one error type of the service: an HTTP status, a stable machine code and either a human sentence or the list
 * of failing fields. Every route fails with it; one failure handler renders it as {@code {"detail": ...}}.
 */
public final class ApiException extends RuntimeException {

  /** The most failing fields a 422 lists. */
  public static final int MAX_FIELD_ERRORS = 100;

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

  /**
   * A 422 with the failing fields: the first {@link #MAX_FIELD_ERRORS} of them, then one more at {@code ["body"]}
   * saying how many were left out (a body of a hundred thousand unknown keys would otherwise be answered with ten
   * times its own size).
   */
  public static ApiException validation(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation error needs at least one field error");
    }
    List<FieldError> shown = errors;
    if (errors.size() > MAX_FIELD_ERRORS) {
      shown = new ArrayList<>(errors.subList(0, MAX_FIELD_ERRORS));
      shown.add(new FieldError(List.of("body"), (errors.size() - MAX_FIELD_ERRORS) + " more errors not listed",
          "value_error.more"));
    }
    return new ApiException(422, "validation_error", errors.get(0).msg(), shown, 0);
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
