package io.auditlog.query;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How many streamed reads of events (a {@code list} or an {@code export}) run at once: in all, and for one tenant. Each
 * holds up to one read's chunks in memory (about 25 MB: {@code EventScanner}'s row and byte shares), so the limits
 * bound what they hold together, and one tenant cannot take every slot. One more is a 429 with {@code Retry-After},
 * before anything is read.
 */
final class StreamSlots {

  /** The limits (AUDIT_QUERY_MAX_STREAMS, AUDIT_QUERY_MAX_STREAMS_PER_TENANT). */
  record Limits(int total, int perTenant) {

    static final Limits DEFAULT = new Limits(4, 2);
  }

  static final long RETRY_AFTER_SECONDS = 5;

  private final Limits limits;
  private final Map<String, Integer> byTenant = new HashMap<>();
  private int running;

  StreamSlots(Limits limits) {
    this.limits = limits;
  }

  /**
   * Runs {@code stream} in one of {@code tenant}'s slots, given back when the stream ends, however it ends; throws a
   * 429 when no slot is free.
   */
  <T> Future<T> run(String tenant, Supplier<Future<T>> stream) {
    take(tenant);
    Future<T> streaming;
    try {
      streaming = stream.get();
    } catch (RuntimeException e) {
      give(tenant);
      throw e;
    }
    return streaming.onComplete(done -> give(tenant));
  }

  private synchronized void take(String tenant) {
    if (byTenant.getOrDefault(tenant, 0) >= limits.perTenant()) {
      throw ApiException.tooManyRequests("This tenant already has " + limits.perTenant()
          + " lists or exports of events running; try again when one has finished.", RETRY_AFTER_SECONDS);
    }
    if (running >= limits.total()) {
      throw ApiException.tooManyRequests("The service is already streaming " + limits.total()
          + " lists or exports of events; try again shortly.", RETRY_AFTER_SECONDS);
    }
    running++;
    byTenant.merge(tenant, 1, Integer::sum);
  }

  private synchronized void give(String tenant) {
    running--;
    byTenant.computeIfPresent(tenant, (key, count) -> count == 1 ? null : count - 1);
  }
}
