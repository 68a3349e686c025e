package io.auditlog.verify;

/** Text that is not one strict JSON value (RFC 8259, duplicate keys and lone surrogates rejected). */
public class JsonException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
