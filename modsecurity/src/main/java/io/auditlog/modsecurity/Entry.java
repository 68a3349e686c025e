package io.auditlog.modsecurity;

/** A parsed entry. */
public final class Entry {
  private final String uniqueId;
  private final String aLine;
  private final String format;

  Entry(String uniqueId, String aLine, String format) {
    this.uniqueId = uniqueId;
    this.aLine = aLine;
    this.format = format;
  }

  public String uniqueId() {
    return uniqueId;
  }

  /** The A line without its line ending: the input of the idempotency hash. */
  public String aLine() {
    return aLine;
  }

  /** native-2, native-3, json-2 or json-3. */
  public String format() {
    return format;
  }
}
