package io.auditlog.web;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The PostgreSQL roles the services log in as, which the schema's owner grants their rights when it migrates
 * ({@code migrate}): {@code AUDIT_PG_GATEWAY_ROLE} (default {@code auditlog_gateway}), {@code AUDIT_PG_WORKER_ROLE}
 * ({@code auditlog_worker}) and {@code AUDIT_PG_QUERY_ROLE} ({@code auditlog_query}). A name is lower-case letters,
 * digits and underscores, starting with a letter, at most 63 characters: so it is written into a {@code GRANT} as it
 * is, with no quoting to get wrong, and anything else is refused before a statement is built. So are the names that
 * mean something else there ({@code public} is every role) or name PostgreSQL's own roles ({@code pg_...}), and one
 * role for two services.
 */
public record ServiceRoles(String gateway, String worker, String query) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Set<String> RESERVED = Set.of("public", "current_user", "current_role", "session_user", "none",
      "all");

  public ServiceRoles {
    for (String name : List.of(gateway, worker, query)) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a PostgreSQL role name must match " + NAME + ": " + name);
      }
      if (RESERVED.contains(name) || name.startsWith("pg_")) {
        throw new IllegalArgumentException(name + " is not a role of its own: choose another service role name");
      }
    }
    if (new HashSet<>(List.of(gateway, worker, query)).size() < 3) {
      throw new IllegalArgumentException("each service needs a role of its own: " + gateway + ", " + worker + ", "
          + query);
    }
  }

  public static ServiceRoles from(Settings settings) {
    return new ServiceRoles(settings.text("AUDIT_PG_GATEWAY_ROLE", "auditlog_gateway"),
        settings.text("AUDIT_PG_WORKER_ROLE", "auditlog_worker"),
        settings.text("AUDIT_PG_QUERY_ROLE", "auditlog_query"));
  }

  public List<String> all() {
    return List.of(gateway, worker, query);
  }

  /**
   * Refuses roles that are missing from the database {@code owner} is connected to, or that could do more than they
   * are granted: the owner itself, a role that is a member of the owner's (and may become it), a superuser, or one
   * that may create roles or bypass row security.
   */
  public void checkIn(Connection owner) throws SQLException {
    Set<String> found = new HashSet<>();
    Array names = owner.createArrayOf("text", all().toArray());
    try (PreparedStatement select = owner.prepareStatement("SELECT rolname, rolsuper OR rolcreaterole OR "
        + "rolbypassrls OR pg_has_role(rolname, current_user, 'MEMBER') FROM pg_roles WHERE rolname = ANY (?)")) {
      select.setArray(1, names);
      try (ResultSet roles = select.executeQuery()) {
        while (roles.next()) {
          if (roles.getBoolean(2)) {
            throw new IllegalArgumentException(roles.getString(1) + " is the owner, may become it, or is a superuser "
                + "or may create roles or bypass row security: a service role must be none of these");
          }
          found.add(roles.getString(1));
        }
      }
    }
    for (String name : all()) {
      if (!found.contains(name)) {
        throw new IllegalArgumentException("PostgreSQL has no role " + name + ": make the service roles first");
      }
    }
  }
}
