package io.auditlog.gateway.storage;

import io.auditlog.gateway.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The PostgreSQL pool, after the schema migrations (db/migration) have been applied: by this process when
 * {@code AUDIT_PG_MIGRATE} is on (its login then owns the schema), or before it by the owner's {@code migrate}
 * ({@link GatewaySchema}) when the gateway logs in as its own role.
 */
public final class Postgres {

  private Postgres() {
  }

  public static Future<Pool> connect(Vertx vertx, GatewayConfig config) {
    Future<Integer> migrated = config.pgMigrate()
        ? vertx.executeBlocking(() -> GatewaySchema.migrate(jdbcUrl(config.pgHost(), config.pgPort(),
            config.pgDatabase()), config.pgUser(), config.pgPassword()))
        : Future.succeededFuture(0);
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
