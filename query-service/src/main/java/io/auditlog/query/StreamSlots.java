package io.auditlog.query;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How many streamed reads of events (a {@code list} or an {@code export}) one tenant runs at once
 * (AUDIT_QUERY_MAX_STREAMS_PER_TENANT). Each holds up to one read's chunks in memory ({@code EventScanner}'s row and
 * byte shares), so a tenant cannot multiply that by opening streams and not reading them; one more is a 429 with
 * {@code Retry-After}, before anything is read. There is no limit over all tenants on purpose: a tenant that keeps
 * its streams open would then lock every other tenant out.
 */
public final class StreamSlots {

  static final int DEFAULT_PER_TENANT = 2;
  static final long RETRY_AFTER_SECONDS = 5;

  private final int perTenant;
  private final Map<String, Integer> byTenant = new HashMap<>();

  StreamSlots(int perTenant) {
    this.perTenant = perTenant;
  }

  /**
   * Runs {@code stream} in one of {@code tenant}'s slots, given back when the stream ends, however it ends; throws a
   * 429 when the tenant has none free.
   */
  public <T> Future<T> run(String tenant, Supplier<Future<T>> stream) {
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
    if (byTenant.getOrDefault(tenant, 0) >= perTenant) {
      throw ApiException.tooManyRequests("This tenant already has " + perTenant
          + " lists or exports of events running; try again when one has finished.", RETRY_AFTER_SECONDS);
    }
    byTenant.merge(tenant, 1, Integer::sum);
  }

  private synchronized void give(String tenant) {
    byTenant.computeIfPresent(tenant, (key, count) -> count == 1 ? null : count - 1);
  }
}
