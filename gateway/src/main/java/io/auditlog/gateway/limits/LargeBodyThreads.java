package io.auditlog.gateway.limits;

import io.auditlog.store.read.TenantTurns;
import io.auditlog.store.read.TenantWorkers;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The gateway's threads for reading large bodies (ingestion batches too large or too dense for an event loop, and
 * ModSecurity entries), their own: many large bodies at once then wait for each other, not in the worker pool that
 * hands every batch to Kafka, nor on the event loops that serve every other request. They are handed out in turns
 * between tenants ({@link TenantWorkers}): a thread that comes free goes to the tenant that waited longest for one, so
 * one tenant's many bodies wait for each other, not another tenant's one; a tenant alone has both.
 */
public final class LargeBodyThreads {
  static final int THREADS = 2;

  private LargeBodyThreads() {
  }

  /** {@code bodyTimeout}: the task time of a body's reading; what bounds it is the body's size, not a check. */
  public static TenantWorkers create(Vertx vertx, Duration bodyTimeout) {
    return new TenantWorkers(vertx.createSharedWorkerExecutor("large-bodies", THREADS),
        new TenantTurns(THREADS, THREADS), bodyTimeout);
  }
}
