package io.auditlog.query.history;

import io.auditlog.filter.StoreTime;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.read.InfluxQueries;
import io.auditlog.store.read.RetentionStatements;
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
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention (the history's contract, §8): every {@code AUDIT_RETENTION_INTERVAL}, for each tenant with a tree that is
 * not halted and holds events older than now − {@code AUDIT_RETENTION} cut to the hour, appends a retention record
 * with that {@code before} (once per cutoff: {@link Erasures#appendRetention}, which also makes the tree refuse older
 * events from then on), waits until a signed checkpoint covers it, deletes the tenant's points stamped before it
 * (every measurement, the trail index with them), and deletes them once more {@value HistoryErasures#AGAIN_MINUTES}
 * minutes later, against a write still under way from a worker that lost its partition; every later run deletes
 * again. One query-service runs it at a time (a session-level advisory lock); a tenant whose turn fails (a row lock
 * not granted within 5 s, a checkpoint not signed within 30 s, InfluxDB unavailable) is tried again at the next run.
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
      return vertx.executeBlocking(() -> new Pass(cutoff(connection), trees(connection)), false)
          .compose(pass -> eachTree(connection, pass.trees(), 0, pass.cutoff()))
          .eventually(() -> vertx.executeBlocking(() -> {
            connection.close();
            return null;
          }, false));
    }).eventually(() -> {
      running.set(false);
      return Future.succeededFuture();
    });
  }

  /**
   * Now − retention, cut to the hour, by the earlier of this host's clock and the database's: a clock running ahead on
   * one of them cannot delete events still within retention.
   */
  private long cutoff(Connection connection) throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement select = connection.prepareStatement("SELECT clock_timestamp()");
        ResultSet row = select.executeQuery()) {
      row.next();
      Instant database = row.getObject(1, OffsetDateTime.class).toInstant();
      if (database.isBefore(now)) {
        now = database;
      }
    }
    return StoreTime.nanos(now.minus(retention).truncatedTo(ChronoUnit.HOURS));
  }

  private Future<Void> eachTree(Connection connection, List<Tree> trees, int index, long before) {
    if (index >= trees.size()) {
      return Future.succeededFuture();
    }
    Tree tree = trees.get(index);
    return retain(connection, tree, before)
        .recover(e -> {
          LOG.warn("retention for tenant {} failed; the next run tries again: {}", tree.tenant(), e.toString());
          return Future.succeededFuture();
        })
        .compose(v -> eachTree(connection, trees, index + 1, before));
  }

  /**
   * Records the cutoff unless the tree's last record reaches it already or the tenant holds nothing older; then,
   * once a checkpoint holds the record, deletes what is older, now and again later.
   */
  private Future<Void> retain(Connection connection, Tree tree, long cutoff) {
    String id = Long.toString(tree.tenant());
    Future<OptionalLong> record;
    if (tree.recordedSeq().isPresent() && tree.recordedBefore() >= cutoff) {
      record = Future.succeededFuture(tree.recordedSeq());
    } else {
      record = holdsOlder(id, cutoff).compose(older -> !older ? Future.succeededFuture(tree.recordedSeq())
          : vertx.executeBlocking(() -> Erasures.appendRetention(connection, tree.tenant(), cutoff), false));
    }
    return record.compose(seq -> {
      if (seq.isEmpty()) {
        return Future.succeededFuture();
      }
      boolean recordedBefore = tree.recordedSeq().equals(seq);
      long before = recordedBefore ? tree.recordedBefore() : cutoff;
      List<InfluxQl> delete = List.of(RetentionStatements.deleteBefore(before));
      Supplier<Future<Void>> deletion = () -> influx.erasing(id, OptionalLong.of(before),
          () -> influx.execute(id, delete));
      return erasures.covered(tree.tenant(), seq.getAsLong() + 1)
          .compose(v -> deletion.get())
          .onSuccess(v -> {
            if (!recordedBefore) {
              vertx.setTimer(Duration.ofMinutes(HistoryErasures.AGAIN_MINUTES).toMillis(), timer ->
                  deletion.get().onFailure(e ->
                      LOG.warn("deleting tenant {}'s events past retention again failed: {}", id, e.toString())));
            }
          });
    });
  }

  /** True when the tenant has an event stamped before {@code before}. */
  private Future<Boolean> holdsOlder(String tenant, long before) {
    return influx.run(tenant, RetentionStatements.anyEventBefore(before))
        .map(result -> result.path("series").size() > 0);
  }

  /** One run's cutoff and the trees it goes over. */
  private record Pass(long cutoff, List<Tree> trees) {
  }

  /** A tree to retain: its last retention record's seq and cutoff, if it has one. */
  private record Tree(long tenant, OptionalLong recordedSeq, long recordedBefore) {
  }

  /**
   * Takes the job's advisory lock if no other run holds it, and bounds every later wait for a row lock (a tree row
   * held by a stuck transaction fails that tenant's append after a few seconds instead of stopping the run).
   */
  private static boolean lock(Connection connection) throws SQLException {
    try (PreparedStatement timeout = connection.prepareStatement("SET lock_timeout = '5s'")) {
      timeout.execute();
    }
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      lock.setLong(1, LOCK_KEY);
      try (ResultSet row = lock.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  /**
   * The trees not halted, read without locking them (a tree row held elsewhere does not stop the run); none before
   * the ingest worker has made the history's tables.
   */
  private static List<Tree> trees(Connection connection) throws SQLException {
    if (!hasTrees(connection)) {
      return List.of();
    }
    try (PreparedStatement select = connection.prepareStatement("SELECT tenant, retention_seq, retained_before "
        + "FROM tlog_trees WHERE halted IS NULL ORDER BY tenant");
        ResultSet rows = select.executeQuery()) {
      List<Tree> trees = new ArrayList<>();
      while (rows.next()) {
        long seq = rows.getLong(2);
        trees.add(new Tree(rows.getLong(1), rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(seq),
            rows.getLong(3)));
      }
      return trees;
    }
  }

  private static boolean hasTrees(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT to_regclass('tlog_trees') IS NOT NULL");
        ResultSet row = select.executeQuery()) {
      return row.next() && row.getBoolean(1);
    }
  }
}
