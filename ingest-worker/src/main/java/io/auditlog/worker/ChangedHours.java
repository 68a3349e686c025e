package io.auditlog.worker;

import io.auditlog.store.read.CountsByHour;
import io.auditlog.tlog.PgLogin;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Marks the hours a stored batch wrote events in (table {@code count_marks}, db/counts), once InfluxDB holds them and
 * before their offsets are committed: the query-service counts a marked hour again instead of trusting the counts it
 * kept for it. One statement per batch, however many tenants and hours it holds; a replay marks again, which only
 * costs a recount.
 */
public final class ChangedHours implements AutoCloseable {

  /** An hour (since the epoch) of one tenant's events. */
  public record Hour(long tenant, long hour) {
  }

  /** Rows are taken in one order by every statement, so two batches marking the same hours never deadlock. */
  private static final String MARK = "INSERT INTO count_marks AS m (tenant, hour, version)"
      + " SELECT t, h, 1 FROM unnest(?::bigint[], ?::bigint[]) AS x(t, h) ORDER BY t, h"
      + " ON CONFLICT (tenant, hour) DO UPDATE SET version = m.version + 1";

  private final ThreadConnections connections;

  private ChangedHours(ThreadConnections connections) {
    this.connections = connections;
  }

  /** Marks in the database {@code login} reaches, whose counts' tables are migrated ({@link WorkerSchema}). */
  public static ChangedHours in(PgLogin login) {
    return new ChangedHours(new ThreadConnections(login));
  }

  /** Marks nothing: for a worker whose counts nobody keeps (tests of the loop alone). */
  static ChangedHours none() {
    return new ChangedHours(null);
  }

  /**
   * Adds the hours of a tenant's stored events to {@code hours}, shared by a batch's writer threads: once per run of
   * events in one hour, since a part's events mostly follow each other in time.
   */
  static void collect(String tenant, List<DecodedBatch.Entry> entries, Set<Hour> hours) {
    long account = Long.parseLong(tenant);
    long previous = Long.MIN_VALUE;
    for (DecodedBatch.Entry entry : entries) {
      long hour = CountsByHour.hourOf(entry.event().timestampNanos());
      if (hour != previous) {
        hours.add(new Hour(account, hour));
        previous = hour;
      }
    }
  }

  /** Marks the hours; blocking. */
  public void mark(Collection<Hour> hours) throws SQLException {
    if (connections == null || hours.isEmpty()) {
      return;
    }
    Long[] tenants = hours.stream().map(Hour::tenant).toArray(Long[]::new);
    Long[] marked = hours.stream().map(Hour::hour).toArray(Long[]::new);
    connections.with(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(MARK)) {
        Array tenantArray = connection.createArrayOf("bigint", tenants);
        Array hourArray = connection.createArrayOf("bigint", marked);
        statement.setArray(1, tenantArray);
        statement.setArray(2, hourArray);
        return statement.executeUpdate();
      }
    });
  }

  @Override
  public void close() {
    if (connections != null) {
      connections.close();
    }
  }
}
