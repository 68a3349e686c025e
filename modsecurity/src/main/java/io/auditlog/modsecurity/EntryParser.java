package io.auditlog.modsecurity;

import java.util.Optional;

/** Parses one uploaded ModSecurity audit-log entry, native or JSON, deciding the format from the bytes. */
public final class EntryParser {
  static final int MAX_SUMMARY_CHARS = 8 * 1024;

  private EntryParser() {
  }

  public static Entry parse(byte[] body, Limits limits) throws EntryRejected {
    return parse(body, limits, Optional.empty());
  }

  /**
   * Parses one entry.
   *
   * @param summary the X-ForensicLog-Summary line that came with it, if any
   * @throws EntryRejected when the entry can never be accepted (its type names why)
   */
  public static Entry parse(byte[] body, Limits limits, Optional<String> summary) throws EntryRejected {
    if (body.length > limits.maxEntryBytes()) {
      throw new EntryRejected("entry_too_large", "Entry is larger than " + limits.maxEntryBytes() + " bytes");
    }
    Optional<String> kept = summary.map(String::strip).filter(s -> !s.isEmpty())
        .map(s -> Text.cutChars(s, MAX_SUMMARY_CHARS));
    int start = body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF
        ? 3 : 0;
    int lineStart = start;
    for (int i = start; i < body.length; i++) {
      byte b = body[i];
      if (b == '\n') {
        lineStart = i + 1;
      } else if (b == '{' && lineStart == i) {
        return JsonEntryReader.read(body, i, limits, kept);
      } else if (b == '-' && lineStart == i && isBoundaryLine(body, i)) {
        return NativeEntryReader.read(NativeSections.split(body, lineStart), limits, kept);
      } else if (b != ' ' && b != '\t' && b != '\r') {
        break;
      }
    }
    throw new EntryRejected("unknown_format", "Entry is neither a native nor a JSON audit-log entry");
  }

  private static boolean isBoundaryLine(byte[] body, int from) {
    int end = from;
    while (end < body.length && body[end] != '\n' && end - from < 80) {
      end++;
    }
    if (end > from && body[end - 1] == '\r') {
      end--;
    }
    return NativeSections.boundaryOf(body, from, end) != null;
  }
}
