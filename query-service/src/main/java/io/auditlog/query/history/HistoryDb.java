package io.auditlog.query.history;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * The history's tables, read through the Vert.x PostgreSQL client (never JDBC on an event loop). The query-service
 * does not migrate them: the ingest worker does when its history is on. So a missing table means the history was
 * never enabled here, and answers 404 {@code tlog_disabled}; an unreachable database answers 503
 * {@code history_unavailable}.
 */
final class HistoryDb {

  /** PostgreSQL's code for an undefined table. */
  private static final String UNDEFINED_TABLE = "42P01";
  private static final int POOL_SIZE = 8;
  private static final long RETRY_SECONDS = 5;

  private final Pool pool;

  private HistoryDb(Pool pool) {
    this.pool = pool;
  }

  /** A pool that connects on first use, so the service starts while PostgreSQL is still starting. */
  static HistoryDb connect(Vertx vertx, HistorySettings settings) {
    return new HistoryDb(settings.pgPool(vertx, "tlog-read", POOL_SIZE));
  }

  Future<RowSet<Row>> query(String sql, Tuple arguments) {
    return pool.preparedQuery(sql).execute(arguments).recover(HistoryDb::explained);
  }

  private static Future<RowSet<Row>> explained(Throwable failure) {
    if (failure instanceof DatabaseException database && UNDEFINED_TABLE.equals(database.getSqlState())) {
      return Future.failedFuture(HistoryErrors.disabled());
    }
    if (failure instanceof ConnectException || failure instanceof ClosedConnectionException
        || failure instanceof TimeoutException) {
      return Future.failedFuture(ApiException.unavailable("history_unavailable",
          "The verifiable history's database is unreachable; retry later.", RETRY_SECONDS));
    }
    return Future.failedFuture(failure);
  }

  Future<Void> close() {
    return pool.close();
  }
}
