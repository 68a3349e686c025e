package io.auditlog.tlog.sign;

import java.sql.SQLException;

/** Reading a tile from PostgreSQL failed: the database's error, carried through {@code Subtrees}. */
public final class TileReadException extends RuntimeException {

  TileReadException(SQLException cause) {
    super("reading tlog_tiles failed: " + cause.getMessage(), cause);
  }

  @Override
  public synchronized SQLException getCause() {
    return (SQLException) super.getCause();
  }
}
