package io.auditlog.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.InfluxCredential;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.TenantInfluxUsers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The statements that provision a tenant in InfluxDB, run with the admin credential: its database, its reader
 * (READ on it alone) and deleter (WRITE on it alone), and WRITE on it for the ingest workers' shared writer. Users that
 * exist get their password set again instead of created (InfluxDB refuses {@code CREATE USER} for an existing user
 * with another password, and stops at the first failing statement), so provisioning is idempotent and follows a
 * changed secret. Read the existing users with {@link #SHOW_USERS} first.
 */
public final class InfluxProvisioning {

  public static final InfluxQl SHOW_USERS = InfluxQl.sql("SHOW USERS");

  private final InfluxCredential writer;
  private final TenantInfluxUsers tenants;

  public InfluxProvisioning(InfluxCredential writer, TenantInfluxUsers tenants) {
    this.writer = writer;
    this.tenants = tenants;
  }

  /** The statements for one tenant, given the users that exist (from {@link #users}). */
  public Statement statements(String tenant, Set<String> existingUsers) {
    InfluxQl database = InfluxQl.identifier(InfluxNames.database(tenant));
    List<InfluxQl> statements = new ArrayList<>();
    statements.add(InfluxQl.sql("CREATE DATABASE ").then(database));
    user(statements, writer, existingUsers);
    statements.add(grant("WRITE", database, writer));
    InfluxCredential reader = tenants.reader(tenant);
    user(statements, reader, existingUsers);
    statements.add(grant("READ", database, reader));
    InfluxCredential deleter = tenants.deleter(tenant);
    user(statements, deleter, existingUsers);
    statements.add(grant("WRITE", database, deleter));
    return InfluxQl.batch(statements);
  }

  /** The first admin, created through InfluxDB's bootstrap window (or again, idempotently, by the admin). */
  public static Statement admin(InfluxCredential admin) {
    return InfluxQl.sql("CREATE USER ").then(InfluxQl.identifier(admin.user())).then(" WITH PASSWORD ")
        .then(InfluxQl.string(admin.password())).then(" WITH ALL PRIVILEGES").statement();
  }

  private static InfluxQl grant(String privilege, InfluxQl database, InfluxCredential user) {
    return InfluxQl.sql("GRANT " + privilege + " ON ").then(database).then(" TO ")
        .then(InfluxQl.identifier(user.user()));
  }

  private static void user(List<InfluxQl> statements, InfluxCredential user, Set<String> existing) {
    InfluxQl name = InfluxQl.identifier(user.user());
    InfluxQl password = InfluxQl.string(user.password());
    statements.add(existing.contains(user.user())
        ? InfluxQl.sql("SET PASSWORD FOR ").then(name).then(" = ").then(password)
        : InfluxQl.sql("CREATE USER ").then(name).then(" WITH PASSWORD ").then(password));
  }

  /** The user names in the result of {@link #SHOW_USERS}. */
  public static Set<String> users(JsonNode result) {
    Set<String> users = new HashSet<>();
    for (JsonNode row : result.path("series").path(0).path("values")) {
      users.add(row.path(0).asText());
    }
    return users;
  }

}
