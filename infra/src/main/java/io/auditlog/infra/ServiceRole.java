package io.auditlog.infra;

/**
 * The PostgreSQL login of one service, which may use only the tables that service needs. The database's owner
 * ({@link PostgresServer#USER}) applies the migrations and grants these roles their rights (each service's
 * {@code migrate} command); the services themselves log in as these roles.
 */
public enum ServiceRole {
  GATEWAY("auditlog_gateway"),
  WORKER("auditlog_worker"),
  QUERY("auditlog_query");

  private final String roleName;

  ServiceRole(String roleName) {
    this.roleName = roleName;
  }

  /** The role's name: letters and underscores only, so it needs no quoting in SQL. */
  public String roleName() {
    return roleName;
  }
}
