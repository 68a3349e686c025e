package io.auditlog.model;

import java.util.List;

/**
 * One failing input value: where it is ({@code ["body", 0, "event", "cpu_usage"]}), what is wrong, and a stable code.
 */
public record FieldError(List<Object> loc, String msg, String type) {

  public FieldError {
    loc = List.copyOf(loc);
  }

  public static FieldError missing(List<Object> loc) {
    return new FieldError(loc, "field required", "value_error.missing");
  }
}
