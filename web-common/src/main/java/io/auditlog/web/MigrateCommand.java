package io.auditlog.web;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code java -jar <service>.jar migrate}: applies the service's PostgreSQL migrations as the schema's owner
 * ({@code AUDIT_PG_USER}, {@code AUDIT_PG_PASSWORD}) and grants the service roles ({@link ServiceRoles}) what they
 * need of its tables, then exits: 0 when done, 1 when the database refused, 2 for a setting it refuses. The services
 * then log in as their roles with {@code AUDIT_PG_MIGRATE=off}.
 */
public final class MigrateCommand {

  private MigrateCommand() {
  }

  public static boolean requested(String[] args) {
    return args.length == 1 && args[0].equals("migrate");
  }

  /**
   * The owner's work on its connection {@code owner}: the roles checked first (nothing is changed for roles it
   * refuses), then {@code migrations} (which log in on their own), then {@code grants}; returns how many migrations
   * ran.
   */
  public static int apply(Connection owner, ServiceRoles roles, Callable<Integer> migrations,
      List<TableGrants> grants) throws Exception {
    roles.checkIn(owner);
    int applied = migrations.call();
    for (TableGrants grant : grants) {
      grant.apply(owner);
    }
    return applied;
  }

  /** Runs {@code migration}, which returns a line saying what it did, and exits. */
  public static void run(String name, Callable<String> migration) {
    try {
      System.out.println(name + ": " + migration.call());
      System.exit(0);
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": refusing to migrate: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println(name + ": migration failed: " + e);
      System.exit(1);
    }
  }
}
