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
 * <p>If the connection closes, the lock goes with it: the claim is then not {@link #held()} (ingestion pauses) until
 * the same number is locked again on a new connection, tried every second. A connection cut without being closed (a
 * network partition) looks alive to the gateway, while PostgreSQL frees the number once it gives up on the silent
 * client. So the connection is checked ({@code SELECT 1}) every heartbeat, and the lock counts as held only within
 * the lease from the sending of the last answered check; a lease run out counts as the connection lost. A late answer
 * within the lease (a gateway or server busy for a few seconds) is no loss. The session asks PostgreSQL to wait at
 * least {@link #SERVER_PATIENCE} for a silent client whatever the server's own settings, which the lease stays well
 * below, so a second gateway cannot take the number while this one still stamps with it.
 */
public final class InstanceClaim {

  /** The first key of the two-key advisory locks that stand for gateway instance numbers. */
  public static final int LOCK_SPACE = 0x41554449;

  /**
   * The least time PostgreSQL waits for this session's client before it drops the session: unacknowledged data is
   * kept for it, and keepalive probes start after 60 s of silence and give up after six more, 10 s apart.
   */
  public static final Duration SERVER_PATIENCE = Duration.ofMinutes(2);

  /** Sets this session's TCP settings on the server to {@link #SERVER_PATIENCE}. */
  public static final String PATIENCE = "SELECT set_config('tcp_user_timeout', '120000', false),"
      + " set_config('tcp_keepalives_idle', '60', false), set_config('tcp_keepalives_interval', '10', false),"
      + " set_config('tcp_keepalives_count', '6', false)";

  private static final Logger LOG = LoggerFactory.getLogger(InstanceClaim.class);

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final int number;
  private final long heartbeatMillis;
  private final long leaseNanos;
  private PgConnection connection;
  /** {@link System#nanoTime()} when the check (or lock) last answered was sent. */
  private volatile long confirmed;
  private volatile boolean held = true;
  private volatile boolean released;

  private InstanceClaim(Vertx vertx, PgConnectOptions options, int number, ClaimTiming timing,
      PgConnection connection, long asked) {
    this.vertx = vertx;
    this.options = options;
    this.number = number;
    this.heartbeatMillis = timing.heartbeat().toMillis();
    this.leaseNanos = timing.lease().toNanos();
    watch(connection, asked);
  }

  /** Claims {@code wanted}, or the lowest free number; fails when the wanted one, or every one, is held. */
  public static Future<InstanceClaim> claim(Vertx vertx, PgConnectOptions options, OptionalInt wanted,
      ClaimTiming timing) {
    return PgConnection.connect(vertx, options).compose(connection -> {
      long asked = System.nanoTime();
      Future<Integer> number = connection.query(PATIENCE).execute().compose(set -> wanted.isPresent()
          ? tryLock(connection, wanted.getAsInt()).compose(locked -> locked ? Future.succeededFuture(
              wanted.getAsInt()) : Future.failedFuture(new IllegalStateException("AUDIT_INSTANCE_ID="
              + wanted.getAsInt() + " is held by another running gateway")))
          : lowestFree(connection, 0));
      return number.map(n -> new InstanceClaim(vertx, options, n, timing, connection, asked))
          .onFailure(e -> connection.close());
    }).onSuccess(claim -> LOG.info("gateway instance number {}", claim.number));
  }

  public int number() {
    return number;
  }

  /** True while the number is locked and the lease runs: only then may this gateway stamp events. */
  public boolean held() {
    return held && System.nanoTime() - confirmed < leaseNanos;
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

  private void watch(PgConnection watched, long asked) {
    connection = watched;
    confirmed = asked;
    watched.closeHandler(v -> lost(watched, "the connection closed"));
    beatSoon(watched);
  }

  private void beatSoon(PgConnection watched) {
    vertx.setTimer(heartbeatMillis, id -> {
      if (watched != connection) {
        return;
      }
      long sent = System.nanoTime();
      long leaseLeft = Math.max(1, TimeUnit.NANOSECONDS.toMillis(confirmed + leaseNanos - sent));
      watched.query("SELECT 1").execute()
          .timeout(leaseLeft, TimeUnit.MILLISECONDS)
          .onSuccess(rows -> {
            confirmed = sent;
            beatSoon(watched);
          })
          .onFailure(e -> lost(watched, "no answer within the lease: " + e.getMessage()));
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
      long asked = System.nanoTime();
      PgConnection.connect(vertx, options)
          .compose(next -> next.query(PATIENCE).execute().compose(set -> tryLock(next, number))
              .compose(locked -> locked ? Future.succeededFuture(next)
                  : Future.<PgConnection>failedFuture("held by another gateway"))
              .onFailure(e -> next.close()))
          .onSuccess(next -> {
            if (released) {
              next.close();
              return;
            }
            watch(next, asked);
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
