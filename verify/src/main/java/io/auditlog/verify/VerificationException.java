package io.auditlog.verify;

/**
 * Evidence that does not prove what it claims: a proof that does not lead to the root, a signature that does not
 * verify, an entry that was altered. The message says which check failed.
 */
public class VerificationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }
}
