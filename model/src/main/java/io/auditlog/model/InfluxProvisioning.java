package io.auditlog.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The statements that provision a tenant in InfluxDB, run with the admin credential: its database, its reader
 * (READ on it alone) and deleter (WRITE on it alone), and WRITE on it for the ingest workers' shared writer. Users that
 * exist get their password set again instead of created (InfluxDB refuses {@code CREATE USER} for an existing user
 * with another password, and stops at the first failing statement), so provisioning is idempotent and follows a
 * changed secret. Read the existing users with {@link #SHOW_USERS} first.
 */
public final class InfluxProvisioning {

  public static final String SHOW_USERS = "SHOW USERS";

  private final InfluxCredential writer;
  private final TenantInfluxUsers tenants;

  public InfluxProvisioning(InfluxCredential writer, TenantInfluxUsers tenants) {
    this.writer = writer;
    this.tenants = tenants;
  }

  /** The statements for one tenant, given the users that exist (from {@link #users}). */
  public List<String> statements(String tenant, Set<String> existingUsers) {
    String database = InfluxQl.identifier(InfluxNames.database(tenant));
    List<String> statements = new ArrayList<>();
    statements.add("CREATE DATABASE " + database);
    user(statements, writer, existingUsers);
    statements.add("GRANT WRITE ON " + database + " TO " + InfluxQl.identifier(writer.user()));
    InfluxCredential reader = tenants.reader(tenant);
    user(statements, reader, existingUsers);
    statements.add("GRANT READ ON " + database + " TO " + InfluxQl.identifier(reader.user()));
    InfluxCredential deleter = tenants.deleter(tenant);
    user(statements, deleter, existingUsers);
    statements.add("GRANT WRITE ON " + database + " TO " + InfluxQl.identifier(deleter.user()));
    return statements;
  }

  private static void user(List<String> statements, InfluxCredential user, Set<String> existing) {
    String name = InfluxQl.identifier(user.user());
    String password = InfluxQl.string(user.password());
    statements.add(existing.contains(user.user()) ? "SET PASSWORD FOR " + name + " = " + password
        : "CREATE USER " + name + " WITH PASSWORD " + password);
  }

  /** The user names in the answer to {@link #SHOW_USERS}. */
  public static Set<String> users(JsonNode answer) {
    Set<String> users = new HashSet<>();
    for (JsonNode row : answer.path("results").path(0).path("series").path(0).path("values")) {
      users.add(row.path(0).asText());
    }
    return users;
  }

  /**
   * The first error in an answer of {@code /query}, if any. InfluxDB's own messages hide passwords
   * ({@code [REDACTED]}), so the text is safe to log; statements holding passwords must never be logged themselves.
   */
  public static Optional<String> error(JsonNode answer) {
    if (answer.has("error")) {
      return Optional.of(answer.get("error").asText());
    }
    for (JsonNode result : answer.path("results")) {
      if (result.has("error")) {
        return Optional.of(result.get("error").asText());
      }
    }
    return Optional.empty();
  }
}
