package io.auditlog.modsecurity;

/** The parser's limits: messages kept per entry and the largest entry accepted. */
public record Limits(int maxMessages, int maxEntryBytes) {
  public static final Limits DEFAULT = new Limits(100, 16 * 1024 * 1024);
}
