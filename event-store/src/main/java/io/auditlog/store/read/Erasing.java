package io.auditlog.store.read;

import io.vertx.core.Future;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Told around every deletion from a tenant's database ({@link InfluxQueries#erasing}: a console delete's round with
 * its erasure records, the later pass of a delete, a retention pass), so that what is kept about its events elsewhere
 * does not outlive them. {@code olderThan}: the deletion removes every point older than that time (nanoseconds) and
 * nothing else (retention); empty: it may remove any points.
 */
public interface Erasing {

  /** Nothing kept elsewhere. */
  Erasing NOTHING = new Erasing() {
    @Override
    public Future<UUID> begin(String tenant, OptionalLong olderThan) {
      return Future.succeededFuture(new UUID(0, 0));
    }

    @Override
    public Future<Void> end(String tenant, OptionalLong olderThan, UUID lease) {
      return Future.succeededFuture();
    }
  };

  /** Before anything is deleted; when it fails, nothing is. Answers the lease {@link #end} gives back. */
  Future<UUID> begin(String tenant, OptionalLong olderThan);

  /** Once the deletion ended, whether it succeeded or not; it never fails (a failure is its own to log). */
  Future<Void> end(String tenant, OptionalLong olderThan, UUID lease);
}
