package io.auditlog.gateway.storage;

import io.auditlog.gateway.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

/** The PostgreSQL pool, after the schema migrations (db/migration) have been applied. */
public final class Postgres {

  private Postgres() {
  }

  public static Future<Pool> connect(Vertx vertx, GatewayConfig config) {
    return vertx.executeBlocking(() -> migrate(config)).map(applied -> PgBuilder.pool()
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

  /**
   * Applies pending migrations over JDBC; blocking, so it runs on a worker thread. The database is shared: the
   * verifiable history's tables (the tlog module, with a history table of their own) may be there first, as when a
   * fresh stack starts its workers before the gateway, so a schema without this history table is taken as at
   * version 0.
   */
  private static int migrate(GatewayConfig config) {
    String url = "jdbc:postgresql://" + config.pgHost() + ":" + config.pgPort() + "/" + config.pgDatabase();
    return Flyway.configure()
        .dataSource(url, config.pgUser(), config.pgPassword())
        .locations("classpath:db/migration")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
