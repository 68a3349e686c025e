package io.auditlog.gateway.storage;

import io.auditlog.model.EventStamper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's instance number, which gives it its own slot of every millisecond to stamp events in
 * ({@link EventStamper}). The number is held as a PostgreSQL session advisory lock, on a connection of its own, for
 * as long as the gateway runs, so two gateways that share the accounts database never stamp in the same slot.
 * Without a configured number the lowest free one is taken.
 *
 * <p>If the connection is lost, the lock goes with it. The claim is then not {@link #held()} (ingestion pauses)
 * until the same number is locked again on a new connection, tried every second. A connection that is cut without
 * being closed (a network partition) is found by a heartbeat: a {@code SELECT 1} every {@code heartbeat} that has not
 * answered within another {@code heartbeat} counts as the connection lost, long before the server gives up the
 * session (by its TCP keepalive, minutes to hours), so a second gateway cannot take the number while this one still
 * stamps with it.
 */
public final class InstanceClaim {

  /** The first key of the two-key advisory locks that stand for gateway instance numbers. */
  public static final int LOCK_SPACE = 0x41554449;

  private static final Logger LOG = LoggerFactory.getLogger(InstanceClaim.class);

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final int number;
  private final long heartbeatMillis;
  private PgConnection connection;
  private volatile boolean held = true;
  private volatile boolean released;

  private InstanceClaim(Vertx vertx, PgConnectOptions options, int number, Duration heartbeat,
      PgConnection connection) {
    this.vertx = vertx;
    this.options = options;
    this.number = number;
    this.heartbeatMillis = heartbeat.toMillis();
    watch(connection);
  }

  /** Claims {@code wanted}, or the lowest free number; fails when the wanted one, or every one, is held. */
  public static Future<InstanceClaim> claim(Vertx vertx, PgConnectOptions options, OptionalInt wanted,
      Duration heartbeat) {
    return PgConnection.connect(vertx, options).compose(connection -> {
      Future<Integer> number = wanted.isPresent()
          ? tryLock(connection, wanted.getAsInt()).compose(locked -> locked ? Future.succeededFuture(
              wanted.getAsInt()) : Future.failedFuture(new IllegalStateException("AUDIT_INSTANCE_ID="
              + wanted.getAsInt() + " is held by another running gateway")))
          : lowestFree(connection, 0);
      return number.map(n -> new InstanceClaim(vertx, options, n, heartbeat, connection))
          .onFailure(e -> connection.close());
    }).onSuccess(claim -> LOG.info("gateway instance number {}", claim.number));
  }

  public int number() {
    return number;
  }

  /** True while the number is locked: only then may this gateway stamp events. */
  public boolean held() {
    return held;
  }

  /** Gives the number back (on stop). */
  public Future<Void> release() {
    released = true;
    held = false;
    return connection == null ? Future.succeededFuture() : connection.close();
  }

  private static Future<Boolean> tryLock(PgConnection connection, int number) {
    return connection.preparedQuery("SELECT pg_try_advisory_lock($1, $2)")
        .execute(Tuple.of(LOCK_SPACE, number))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  private static Future<Integer> lowestFree(PgConnection connection, int number) {
    if (number >= EventStamper.INSTANCES) {
      return Future.failedFuture(new IllegalStateException("all " + EventStamper.INSTANCES
          + " gateway instance numbers are held by running gateways"));
    }
    return tryLock(connection, number).compose(locked -> locked ? Future.succeededFuture(number)
        : lowestFree(connection, number + 1));
  }

  private void watch(PgConnection watched) {
    connection = watched;
    watched.closeHandler(v -> lost(watched, "the connection closed"));
    beatSoon(watched);
  }

  private void beatSoon(PgConnection watched) {
    vertx.setTimer(heartbeatMillis, id -> {
      if (watched != connection) {
        return;
      }
      watched.query("SELECT 1").execute()
          .timeout(heartbeatMillis, TimeUnit.MILLISECONDS)
          .onSuccess(rows -> beatSoon(watched))
          .onFailure(e -> lost(watched, "the connection did not answer: " + e.getMessage()));
    });
  }

  /** Ingestion pauses at once; the number is locked again on a new connection. */
  private void lost(PgConnection watched, String why) {
    if (released || watched != connection) {
      return;
    }
    held = false;
    connection = null;
    LOG.error("lost the lock on gateway instance number {} ({}); ingestion pauses until it is locked again", number,
        why);
    watched.close();
    reclaimSoon();
  }

  private void reclaimSoon() {
    vertx.setTimer(1_000, id -> {
      if (released) {
        return;
      }
      PgConnection.connect(vertx, options)
          .compose(next -> tryLock(next, number).compose(locked -> locked ? Future.succeededFuture(next)
              : next.close().compose(v -> Future.<PgConnection>failedFuture("held by another gateway"))))
          .onSuccess(next -> {
            if (released) {
              next.close();
              return;
            }
            watch(next);
            held = true;
            LOG.info("locked gateway instance number {} again", number);
          })
          .onFailure(e -> {
            LOG.warn("gateway instance number {} not locked again yet: {}", number, e.getMessage());
            reclaimSoon();
          });
    });
  }
}
