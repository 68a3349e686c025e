package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.gateway.ingest.IdempotencyKeys;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The purge of the Idempotency-Key store, against real PostgreSQL: each key by the retention of its scope. */
class IdempotencyKeysIT {

  private static final String TENANT = "purge-tenant";

  @Test
  void thePurgeForgetsEachKeyAfterItsOwnScopesRetention() throws Exception {
    Vertx vertx = Vertx.vertx();
    // A gateway applies the schema; the store is then used on its own pool.
    try (TestGateway ignored = new TestGateway(Map.of()); Connection jdbc = connection();
        Statement sql = jdbc.createStatement()) {
      sql.execute("DELETE FROM idempotency_keys WHERE tenant = '" + TENANT + "'");
      for (String[] row : new String[][] {{"plain-old", "2 days"}, {"plain-new", "1 minute"},
          {"modsec/a/old", "8 days"}, {"modsec/a/mid", "2 days"}}) {
        sql.execute("INSERT INTO idempotency_keys (tenant, key, body_hash, created_at) VALUES ('" + TENANT + "', '"
            + row[0] + "', 'h', now() - interval '" + row[1] + "')");
      }
      Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1")
          .setPort(TestGateway.SERVICES.postgres().port()).setDatabase("auditlog").setUser("auditlog")
          .setPassword(TestGateway.SERVICES.postgres().password())).using(vertx).build();
      IdempotencyKeys keys = new IdempotencyKeys(pool, Duration.ofHours(24), Duration.ofSeconds(10));
      keys.scoped("modsec/", Duration.ofDays(7));

      keys.purge().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

      List<String> left = new ArrayList<>();
      try (ResultSet rows = sql.executeQuery("SELECT key FROM idempotency_keys WHERE tenant = '" + TENANT
          + "' ORDER BY key")) {
        while (rows.next()) {
          left.add(rows.getString(1));
        }
      }
      assertThat(left).containsExactly("modsec/a/mid", "plain-new");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Connection connection() throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + TestGateway.SERVICES.postgres().port()
        + "/auditlog", "auditlog", TestGateway.SERVICES.postgres().password());
  }
}
