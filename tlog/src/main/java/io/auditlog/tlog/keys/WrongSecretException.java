package io.auditlog.tlog.keys;

/** A sealed key does not open under the configured {@code AUDIT_TLOG_SECRET}. The message never holds a secret. */
public final class WrongSecretException extends RuntimeException {

  WrongSecretException(String name, String reason) {
    super("the sealed key " + name + " in tlog_keys does not open: " + reason);
  }
}
