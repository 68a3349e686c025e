package io.auditlog.store.read;

import java.util.HashMap;
import java.util.Map;

/**
 * How many categories are read as one streamed statement at once (AUDIT_QUERY_STREAMED_READS), each over a connection
 * of its own that stays open while the listing's reader takes its time; one tenant holds at most a quarter of them
 * (at least one), so a tenant cannot take every stream. A reader refused one reads its category in statements, as any
 * other read does: a refusal slows a listing down, it never fails it.
 */
public final class StreamPermits {

  /** The default number of streamed statements open at once over all tenants. */
  public static final int DEFAULT_TOTAL = 16;

  private final int total;
  private final int perTenant;
  private final Map<String, Integer> byTenant = new HashMap<>();
  private int taken;
  private long granted;
  private long refused;

  public StreamPermits(int total) {
    if (total < 0) {
      throw new IllegalArgumentException("streamed reads must not be negative: " + total);
    }
    this.total = total;
    this.perTenant = Math.max(1, total / 4);
  }

  /** Takes a permit for {@code tenant} if one is free, both in total and within the tenant's share. */
  public synchronized boolean tryTake(String tenant) {
    if (taken >= total || byTenant.getOrDefault(tenant, 0) >= perTenant) {
      refused++;
      return false;
    }
    granted++;
    taken++;
    byTenant.merge(tenant, 1, Integer::sum);
    return true;
  }

  /** Gives back a permit {@link #tryTake} gave {@code tenant}. */
  public synchronized void give(String tenant) {
    Integer held = byTenant.get(tenant);
    if (held == null) {
      throw new IllegalStateException("no streamed read held by " + tenant);
    }
    taken--;
    if (held == 1) {
      byTenant.remove(tenant);
    } else {
      byTenant.put(tenant, held - 1);
    }
  }

  /** The permits taken now, over all tenants. */
  public synchronized int taken() {
    return taken;
  }

  /** How many permits were given since the start. */
  public synchronized long granted() {
    return granted;
  }

  /** How many permits were refused since the start (each a category then read in statements). */
  public synchronized long refused() {
    return refused;
  }

  /** The most permits that may be taken at once; the size of the connection pool streamed reads use. */
  public int total() {
    return total;
  }
}
