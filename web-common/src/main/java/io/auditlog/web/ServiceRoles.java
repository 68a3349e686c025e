package io.auditlog.web;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The PostgreSQL roles the services log in as, which the schema's owner grants their rights when it migrates
 * ({@code migrate}): {@code AUDIT_PG_GATEWAY_ROLE} (default {@code auditlog_gateway}), {@code AUDIT_PG_WORKER_ROLE}
 * ({@code auditlog_worker}) and {@code AUDIT_PG_QUERY_ROLE} ({@code auditlog_query}). A name is lower-case letters,
 * digits and underscores, starting with a letter, at most 63 characters: so it is written into a {@code GRANT} as it
 * is, with no quoting to get wrong, and anything else is refused before a statement is built.
 */
public record ServiceRoles(String gateway, String worker, String query) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  public ServiceRoles {
    for (String name : List.of(gateway, worker, query)) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a PostgreSQL role name must match " + NAME + ": " + name);
      }
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
}
