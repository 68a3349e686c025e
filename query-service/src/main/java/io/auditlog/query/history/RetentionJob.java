package io.auditlog.query.history;

import io.auditlog.store.InfluxQl;
import io.auditlog.store.read.InfluxEventStore;
import io.auditlog.store.read.InfluxQueries;
import io.auditlog.tlog.Erasures;
import io.auditlog.tlog.PgLogin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention (the history's contract, §8): every {@code AUDIT_RETENTION_INTERVAL}, for each tenant with a tree that is
 * not halted, appends a retention record whose {@code before} is now − {@code AUDIT_RETENTION} truncated to the hour
 * (once per cutoff: {@link Erasures#appendRetention}, which also makes the tree refuse older events from then on),
 * waits until a signed checkpoint covers it, deletes the tenant's points stamped before it (every measurement, the
 * trail index with them), and deletes them once more {@value HistoryErasures#AGAIN_MINUTES} minutes later, against a
 * write still under way from a worker that lost its partition. One query-service runs it at a time (a session-level
 * advisory lock); a tenant whose run fails is tried again at the next one.
 */
final class RetentionJob {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  /** The advisory lock's key: "retain" in ASCII. */
  private static final long LOCK_KEY = 0x72657461696eL;

  private final Vertx vertx;
  private final PgLogin login;
  private final HistoryErasures erasures;
  private final InfluxQueries influx;
  private final Duration retention;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();

  RetentionJob(Vertx vertx, PgLogin login, HistoryErasures erasures, InfluxQueries influx, Duration retention,
      Clock clock) {
    this.vertx = vertx;
    this.login = login;
    this.erasures = erasures;
    this.influx = influx;
    this.retention = retention;
    this.clock = clock;
  }

  /** Runs every {@code interval} from now on, the first time after one interval; answers the timer's id. */
  long schedule(Duration interval) {
    return vertx.setPeriodic(interval.toMillis(), id -> run().onFailure(e ->
        LOG.warn("the retention run failed; the next one tries again: {}", e.toString())));
  }

  /** One run over every tenant; completes when it is done (or skipped: another run holds the lock). */
  Future<Void> run() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Instant before = clock.instant().minus(retention).truncatedTo(ChronoUnit.HOURS);
    long beforeNanos = InfluxEventStore.nanos(before);
    return vertx.<Connection>executeBlocking(() -> {
      Connection connection = login.connect();
      if (!lock(connection)) {
        connection.close();
        return null;
      }
      return connection;
    }, false).compose(connection -> {
      if (connection == null) {
        return Future.<Void>succeededFuture();
      }
      return vertx.executeBlocking(() -> tenants(connection), false)
          .compose(tenants -> eachTenant(connection, tenants, 0, beforeNanos))
          .eventually(() -> vertx.executeBlocking(() -> {
            connection.close();
            return null;
          }, false));
    }).eventually(() -> {
      running.set(false);
      return Future.succeededFuture();
    });
  }

  private Future<Void> eachTenant(Connection connection, List<Long> tenants, int index, long beforeNanos) {
    if (index >= tenants.size()) {
      return Future.succeededFuture();
    }
    long tenant = tenants.get(index);
    return retain(connection, tenant, beforeNanos)
        .recover(e -> {
          LOG.warn("retention for tenant {} failed; the next run tries again: {}", tenant, e.toString());
          return Future.succeededFuture();
        })
        .compose(v -> eachTenant(connection, tenants, index + 1, beforeNanos));
  }

  /** Record, wait for a checkpoint, delete, and delete again later. */
  private Future<Void> retain(Connection connection, long tenant, long beforeNanos) {
    return vertx.<OptionalLong>executeBlocking(() -> Erasures.appendRetention(connection, tenant, beforeNanos), false)
        .compose(seq -> {
          if (seq.isEmpty()) {
            return Future.succeededFuture();
          }
          String id = Long.toString(tenant);
          List<InfluxQl> delete = List.of(InfluxQl.sql("DELETE WHERE time < ").then(InfluxQl.integer(beforeNanos)));
          return erasures.covered(tenant, seq.getAsLong() + 1)
              .compose(v -> influx.execute(id, delete))
              .onSuccess(v -> vertx.setTimer(Duration.ofMinutes(HistoryErasures.AGAIN_MINUTES).toMillis(),
                  timer -> influx.execute(id, delete).onFailure(e ->
                      LOG.warn("deleting tenant {}'s events past retention again failed: {}", id, e.toString()))));
        });
  }

  private static boolean lock(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      lock.setLong(1, LOCK_KEY);
      try (ResultSet row = lock.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  private static List<Long> tenants(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT tenant FROM tlog_trees WHERE halted IS NULL ORDER BY tenant");
        ResultSet rows = select.executeQuery()) {
      List<Long> tenants = new ArrayList<>();
      while (rows.next()) {
        tenants.add(rows.getLong(1));
      }
      return tenants;
    }
  }
}
