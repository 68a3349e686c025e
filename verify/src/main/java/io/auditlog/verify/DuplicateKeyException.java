package io.auditlog.verify;

/**
 * An object with the same key twice. JSON leaves its meaning open, and two readers may each see a different value,
 * so a verifier treats it as tampering rather than as a typo.
 */
public class DuplicateKeyException extends JsonException {

  private static final long serialVersionUID = 1L;

  public DuplicateKeyException(String message) {
    super(message);
  }
}
