package io.auditlog.gateway.storage;

import io.auditlog.gateway.GatewayConfig;
import io.auditlog.web.LoginPrivileges;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.DriverManager;

/**
 * The PostgreSQL pool, after the schema migrations (db/migration) have been applied: by this process when
 * {@code AUDIT_PG_MIGRATE} is on (its login then owns the schema), or before it by the owner's {@code migrate}
 * ({@link GatewaySchema}) when the gateway logs in as its own role; a login that can do more than that role
 * ({@link LoginPrivileges}) is warned of.
 */
public final class Postgres {

  private Postgres() {
  }

  public static Future<Pool> connect(Vertx vertx, GatewayConfig config) {
    String url = jdbcUrl(config.pgHost(), config.pgPort(), config.pgDatabase());
    Future<Integer> migrated = vertx.executeBlocking(() -> {
      int applied = config.pgMigrate() ? GatewaySchema.migrate(url, config.pgUser(), config.pgPassword()) : 0;
      LoginPrivileges.warnOf(() -> DriverManager.getConnection(url, config.pgUser(), config.pgPassword()),
          "the gateway", config.pgMigrate());
      return applied;
    });
    return migrated.map(applied -> PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(16))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build());
  }

  public static PgConnectOptions connectOptions(GatewayConfig config) {
    return new PgConnectOptions()
        .setHost(config.pgHost())
        .setPort(config.pgPort())
        .setDatabase(config.pgDatabase())
        .setUser(config.pgUser())
        .setPassword(config.pgPassword());
  }

  static String jdbcUrl(String host, int port, String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }
}
