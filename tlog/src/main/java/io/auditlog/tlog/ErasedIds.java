package io.auditlog.tlog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Which of some events were erased: an erased event is never written again, whatever brings it back. */
final class ErasedIds {

  private ErasedIds() {
  }

  static Set<String> among(Connection connection, long tenant, List<String> ids) throws SQLException {
    Set<String> erased = new HashSet<>();
    if (ids.isEmpty()) {
      return erased;
    }
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT id FROM tlog_erased WHERE tenant = ? AND id = ANY (?)")) {
      select.setLong(1, tenant);
      Array array = connection.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray(UUID[]::new));
      select.setArray(2, array);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          erased.add(rows.getObject(1, UUID.class).toString());
        }
      }
    }
    return erased;
  }
}
