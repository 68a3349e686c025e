package io.auditlog.modsecurity;

import java.util.List;
import java.util.Optional;

/**
 * The method, URI (control characters as U+FFFD, at most 4 KiB) and protocol of an entry's request line, the method
 * from the summary without one.
 */
record RequestLine(Optional<String> method, Optional<String> uri, Optional<String> protocol) {
  private static final int MAX_METHOD_CHARS = 32;
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  static RequestLine of(HttpHead request, Optional<String> summary) {
    List<String> fields = request.firstLineFields();
    if (fields.isEmpty()) {
      return new RequestLine(summary.flatMap(SummaryLine::method).filter(RequestLine::isToken), Optional.empty(),
          Optional.empty());
    }
    boolean hasProtocol = fields.size() >= 3 && fields.get(fields.size() - 1).startsWith("HTTP/");
    Optional<String> uri = fields.size() < 2 ? Optional.empty()
        : Optional.of(String.join(" ", fields.subList(1, hasProtocol ? fields.size() - 1 : fields.size())));
    return new RequestLine(Optional.of(fields.get(0)).filter(RequestLine::isToken),
        uri.map(u -> Text.derived(u, EventMapper.MAX_URI_BYTES)),
        hasProtocol ? Optional.of(fields.get(fields.size() - 1)) : Optional.empty());
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
