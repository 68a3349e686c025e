package io.auditlog.modsecurity;

import java.util.List;
import java.util.Optional;

/**
 * The index line mlogc sends as X-ForensicLog-Summary:
 * {@code host client - - [time] "request" status bytes "referer" "agent" unique_id …}.
 */
final class SummaryLine {
  private SummaryLine() {
  }

  static Optional<String> method(String summary) {
    return request(summary).map(Text::fields).filter(f -> !f.isEmpty()).map(f -> f.get(0));
  }

  static Optional<String> status(String summary) {
    int close = requestEnd(summary);
    if (close < 0) {
      return Optional.empty();
    }
    List<String> fields = Text.fields(summary.substring(close + 1));
    return fields.isEmpty() || fields.get(0).length() != 3 || !Text.digits(fields.get(0), 3)
        ? Optional.empty() : Optional.of(fields.get(0));
  }

  private static Optional<String> request(String summary) {
    int open = summary.indexOf("] \"");
    int close = requestEnd(summary);
    return close < 0 ? Optional.empty() : Optional.of(summary.substring(open + 3, close));
  }

  /** The index of the quote that closes the request field, or -1. */
  private static int requestEnd(String summary) {
    int open = summary.indexOf("] \"");
    return open < 0 ? -1 : summary.indexOf("\" ", open + 3);
  }
}
