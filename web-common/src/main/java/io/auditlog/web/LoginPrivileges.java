package io.auditlog.web;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service's PostgreSQL login can do beyond the grants of its role ({@link ServiceRoles}): a superuser can do
 * anything, and the owner of the tables can change any row of them and their shape. Read once at start, to warn an
 * operator whose service logs in as either, so that a flaw that runs SQL in it would not be held to its grants.
 */
public record LoginPrivileges(String login, boolean superuser, long ownedTables) {

  private static final Logger LOG = LoggerFactory.getLogger(LoginPrivileges.class);

  /** Opens a connection as the service's login. */
  @FunctionalInterface
  public interface Login {
    Connection connect() throws SQLException;
  }

  /**
   * Logs the {@link #warning} for the service's login, if any; blocking, and never failing: a login that cannot be
   * read now is logged as such, and the service's own statements will say why.
   */
  public static void warnOf(Login login, String service, boolean migrates) {
    try (Connection connection = login.connect()) {
      of(connection).warning(service, migrates).ifPresent(LOG::warn);
    } catch (SQLException e) {
      LOG.warn("could not read what {}'s PostgreSQL login may do: {}", service, e.toString());
    }
  }

  /** The login of {@code connection}, read from PostgreSQL's catalogue. */
  public static LoginPrivileges of(Connection connection) throws SQLException {
    try (Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery("SELECT current_user, "
        + "rolsuper, (SELECT count(*) FROM pg_tables WHERE tableowner = current_user "
        + "AND schemaname = current_schema()) FROM pg_roles WHERE rolname = current_user")) {
      row.next();
      return new LoginPrivileges(row.getString(1), row.getBoolean(2), row.getLong(3));
    }
  }

  /**
   * The warning for {@code service}, empty when its login is a role of its own. {@code migrates}: the service applies
   * its migrations itself ({@code AUDIT_PG_MIGRATE=on}, one login for the whole deployment), so it owns its tables by
   * design, and only a superuser is warned of.
   */
  public Optional<String> warning(String service, boolean migrates) {
    if (!superuser && (migrates || ownedTables == 0)) {
      return Optional.empty();
    }
    return Optional.of(service + " logs in to PostgreSQL as " + login + ", "
        + (superuser ? "a superuser" : "the owner of " + ownedTables + " tables")
        + ": a flaw that runs SQL in it is not held to a service role's grants. Run `migrate` as the owner and log "
        + "in as the service's role (docs/security.md, \"PostgreSQL\").");
  }
}
