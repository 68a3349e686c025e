package io.auditlog.modsecurity;

import java.util.Optional;

/** Parses one uploaded ModSecurity audit-log entry, native or JSON, deciding the format from the bytes. */
public final class EntryParser {
  private EntryParser() {
  }

  public static Entry parse(byte[] body, Limits limits) throws EntryRejected {
    return parse(body, limits, Optional.empty());
  }

  public static Entry parse(byte[] body, Limits limits, Optional<String> summary) throws EntryRejected {
    throw new UnsupportedOperationException();
  }
}
