package io.auditlog.modsecurity;

/** An entry that can never be accepted; {@link #type()} is the stable error type. */
public final class EntryRejected extends Exception {
  private final String type;

  public EntryRejected(String type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  public String type() {
    return type;
  }
}
