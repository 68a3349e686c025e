package io.auditlog.store.read;

import io.vertx.core.Future;
import java.util.OptionalLong;

/**
 * Told around every request of deletes to a tenant's database ({@link InfluxQueries#execute}), so that what is kept
 * about its events elsewhere does not outlive them. {@code olderThan}: the request deletes every point older than
 * that time (nanoseconds) and nothing else (retention); empty: it may delete any points.
 */
public interface Erasing {

  /** Nothing kept elsewhere. */
  Erasing NOTHING = new Erasing() {
    @Override
    public Future<Void> begin(String tenant, OptionalLong olderThan) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end(String tenant, OptionalLong olderThan) {
      return Future.succeededFuture();
    }
  };

  /** Before the deletes are sent; when it fails, they are not sent. */
  Future<Void> begin(String tenant, OptionalLong olderThan);

  /** Once they ran, whether they succeeded or not; a failure is logged, and does not fail the request. */
  Future<Void> end(String tenant, OptionalLong olderThan);
}
