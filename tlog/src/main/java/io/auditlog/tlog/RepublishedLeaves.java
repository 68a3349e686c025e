package io.auditlog.tlog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The leaves of events published under an idempotency key: a retry publishes them again in new records, and each
 * event keeps the leaf it got the first time.
 */
public final class RepublishedLeaves {

  private final Connection connection;
  private final long tenant;
  private final Map<String, Placement> known = new HashMap<>();
  private final Map<String, Placement> fresh = new HashMap<>();

  RepublishedLeaves(Connection connection, long tenant) {
    this.connection = connection;
    this.tenant = tenant;
  }

  /** Reads the leaves already given to the events of the idempotent records among {@code records}. */
  void load(List<SequencedRecord> records) throws SQLException {
    UUID[] ids = records.stream().filter(SequencedRecord::idempotent).flatMap(r -> r.events().stream())
        .map(e -> e.entry().id()).toArray(UUID[]::new);
    if (ids.length == 0) {
      return;
    }
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT id, seq, salt FROM tlog_republished WHERE tenant = ? AND id = ANY (?)")) {
      select.setLong(1, tenant);
      Array array = connection.createArrayOf("uuid", ids);
      select.setArray(2, array);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          known.put(rows.getObject(1, UUID.class).toString(), new Placement(rows.getLong(2), rows.getString(3)));
        }
      }
    }
  }

  /** The event's earlier placement (its salt included), or null when it has none. */
  Placement placementOf(SequencedEvent event) {
    return known.get(event.id());
  }

  /**
   * Forgets the leaves of events published under an idempotency key before {@code retention}: no retry can bring
   * them again once the gateway has forgotten their key. Returns how many were forgotten.
   */
  public static int prune(Connection connection, java.time.Duration retention) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM tlog_republished WHERE created_at < now() - make_interval(secs => ?)")) {
      delete.setDouble(1, retention.toMillis() / 1000.0);
      return delete.executeUpdate();
    }
  }

  /** An event of an idempotent record just got a leaf: a later record of the batch with it must find it. */
  void placed(SequencedEvent event, Placement placement) {
    known.put(event.id(), placement);
    fresh.put(event.id(), placement);
  }

  /** Records the leaves given in this transaction to events of idempotent records. */
  void store() throws SQLException {
    if (fresh.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tlog_republished (tenant, id, seq, salt) "
        + "VALUES (?, ?, ?, ?) ON CONFLICT (tenant, id) DO NOTHING")) {
      for (Map.Entry<String, Placement> entry : fresh.entrySet()) {
        insert.setLong(1, tenant);
        insert.setObject(2, UUID.fromString(entry.getKey()));
        insert.setLong(3, entry.getValue().seq());
        insert.setString(4, entry.getValue().salt());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
