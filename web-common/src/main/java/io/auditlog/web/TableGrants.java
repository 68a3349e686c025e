package io.auditlog.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What each service role may do with a set of tables, applied by their owner in one transaction: every right the
 * roles had on them is taken first, so that the grants that follow are exactly what they have. Table, sequence and
 * privilege texts are the callers' constants; role names are checked by {@link ServiceRoles}.
 */
public final class TableGrants {

  private final List<String> statements = new ArrayList<>();

  private TableGrants() {
  }

  /** Grants on {@code tables} and {@code sequences}, which {@code roles} hold nothing on but what follows. */
  public static TableGrants on(List<String> tables, List<String> sequences, List<String> roles) {
    TableGrants grants = new TableGrants();
    grants.statements.add("REVOKE ALL ON TABLE " + String.join(", ", tables) + " FROM " + String.join(", ", roles));
    if (!sequences.isEmpty()) {
      grants.statements.add("REVOKE ALL ON SEQUENCE " + String.join(", ", sequences) + " FROM "
          + String.join(", ", roles));
    }
    return grants;
  }

  /** {@code privileges} (e.g. {@code SELECT, INSERT} or {@code SELECT (id, name)}) on {@code tables} to {@code role}. */
  public TableGrants grant(String privileges, List<String> tables, String role) {
    statements.add("GRANT " + privileges + " ON TABLE " + String.join(", ", tables) + " TO " + role);
    return this;
  }

  /** Drawing ids from {@code sequences} (what a {@code BIGSERIAL} column's insert needs). */
  public TableGrants drawFrom(List<String> sequences, String role) {
    statements.add("GRANT USAGE ON SEQUENCE " + String.join(", ", sequences) + " TO " + role);
    return this;
  }

  public List<String> statements() {
    return List.copyOf(statements);
  }

  /** Runs the statements in one transaction on {@code connection} (the tables' owner's). */
  public void apply(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }
}
