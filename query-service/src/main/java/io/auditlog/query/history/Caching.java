package io.auditlog.query.history;

import io.vertx.core.http.HttpServerResponse;

/**
 * Cache headers: the latest checkpoint changes (no-cache); a stored checkpoint, a tile or a bundle never does
 * (immutable). Both are private: every answer is one tenant's, behind its credentials.
 */
final class Caching {

  static final String NO_CACHE = "no-cache";
  static final String IMMUTABLE = "private, max-age=31536000, immutable";

  private Caching() {
  }

  static HttpServerResponse fresh(HttpServerResponse response) {
    return response.putHeader("Cache-Control", NO_CACHE);
  }

  static HttpServerResponse immutable(HttpServerResponse response) {
    return response.putHeader("Cache-Control", IMMUTABLE);
  }
}
