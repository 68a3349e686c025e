package io.auditlog.modsecurity;

import java.util.Optional;

/**
 * The method, URI (control characters as U+FFFD, at most 4 KiB) and protocol of an entry's request line, the method
 * from the summary without one.
 */
record RequestLine(Optional<String> method, Optional<String> uri, Optional<String> protocol) {
  private static final int MAX_METHOD_CHARS = 32;
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  /**
   * Reads the method (the first field), the protocol (the last, when there are three or more and it starts with
   * {@code HTTP/}) and the URI (the fields between, joined by single spaces) from the first line, joining no more of a
   * long URI than its stored 4 KiB need.
   */
  static RequestLine of(HttpHead request, Optional<String> summary) {
    String line = request.firstLine().orElse("");
    int methodStart = skip(line, 0, true);
    if (methodStart == line.length()) {
      return new RequestLine(summary.flatMap(SummaryLine::method).filter(RequestLine::isToken), Optional.empty(),
          Optional.empty());
    }
    int methodEnd = skip(line, methodStart, false);
    int lastEnd = line.length();
    while (Text.isSeparator(line.charAt(lastEnd - 1))) {
      lastEnd--;
    }
    int lastStart = lastEnd;
    while (lastStart > 0 && !Text.isSeparator(line.charAt(lastStart - 1))) {
      lastStart--;
    }
    boolean twoFields = lastStart > methodStart;
    int uriStart = skip(line, methodEnd, true);
    boolean hasProtocol = twoFields && uriStart < lastStart && line.startsWith("HTTP/", lastStart);
    Optional<String> uri = twoFields
        ? Optional.of(joined(line, uriStart, hasProtocol ? lastStart : lastEnd, EventMapper.MAX_URI_BYTES + 2))
        : Optional.empty();
    Optional<String> method = methodEnd - methodStart > MAX_METHOD_CHARS ? Optional.empty()
        : Optional.of(line.substring(methodStart, methodEnd)).filter(RequestLine::isToken);
    return new RequestLine(method,
        uri.map(u -> Text.derived(u, EventMapper.MAX_URI_BYTES)),
        hasProtocol ? Optional.of(line.substring(lastStart, lastEnd)) : Optional.empty());
  }

  /** The first index from {@code from} that is (or, with {@code separators}, is not) a separator, or the end. */
  private static int skip(String line, int from, boolean separators) {
    int at = from;
    while (at < line.length() && Text.isSeparator(line.charAt(at)) == separators) {
      at++;
    }
    return at;
  }

  /** The fields of {@code line[from, to)} joined by single spaces, at most {@code maxChars} of them. */
  private static String joined(String line, int from, int to, int maxChars) {
    StringBuilder out = new StringBuilder();
    boolean gap = false;
    for (int i = from; i < to && out.length() < maxChars; i++) {
      char c = line.charAt(i);
      if (Text.isSeparator(c)) {
        gap = true;
      } else {
        if (gap && out.length() > 0) {
          out.append(' ');
        }
        gap = false;
        out.append(c);
      }
    }
    return out.toString();
  }

  /** An HTTP token (RFC 9110) of at most 32 characters. */
  static boolean isToken(String method) {
    if (method.isEmpty() || method.length() > MAX_METHOD_CHARS) {
      return false;
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The path of a request URI: without the query, and without a {@code scheme://host} prefix. */
  static String path(String uri) {
    String path = uri;
    int scheme = path.indexOf("://");
    if (scheme > 0 && path.indexOf('/') > scheme) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }
}
