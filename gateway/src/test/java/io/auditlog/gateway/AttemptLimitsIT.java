package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.gateway.limits.AttemptLimits;
import io.auditlog.gateway.limits.AttemptLimits.Limit;
import io.auditlog.gateway.limits.AttemptLimits.Reservation;
import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attempts under one key wait for each other in memory, not on pooled connections: with the key's lock held by
 * another session of the real PostgreSQL, twenty attempts under it leave the pool free for an attempt under another
 * key, and once the lock is let go they are counted exactly to the limit.
 */
class AttemptLimitsIT {
  private static final int POOL_SIZE = 4;
  private static TestGateway gateway;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of());
    vertx = Vertx.vertx();
    pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(POOL_SIZE))
        .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(TestGateway.SERVICES.postgres().port())
            .setDatabase("auditlog").setUser("auditlog").setPassword(TestGateway.SERVICES.postgres().password()))
        .using(vertx)
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await();
    vertx.close().await();
    gateway.close();
  }

  private static Connection database() throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + TestGateway.SERVICES.postgres().port()
        + "/auditlog", "auditlog", TestGateway.SERVICES.postgres().password());
  }

  private static void advisory(Connection connection, String function, String key) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT " + function + "(hashtextextended(?, 0))")) {
      statement.setString(1, key);
      statement.execute();
    }
  }

  @Test
  void attemptsWaitingOnOneKeyLeaveThePoolToOthersAndAreCountedExactly() throws Exception {
    AttemptLimits limits = new AttemptLimits(pool);
    String flooded = "it-address:" + UUID.randomUUID();
    List<Future<Reservation>> waiting = new ArrayList<>();
    try (Connection holder = database()) {
      advisory(holder, "pg_advisory_lock", flooded);
      for (int i = 0; i < 20; i++) {
        waiting.add(limits.reserve(List.of(new Limit(flooded, 10, Duration.ofSeconds(30))), "refused"));
      }
      Reservation other = limits.reserve(List.of(new Limit("it-address:" + UUID.randomUUID(), 10,
          Duration.ofSeconds(30))), "refused").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(other).isNotNull();
      assertThat(waiting).noneMatch(Future::isComplete);
      advisory(holder, "pg_advisory_unlock", flooded);
    }
    Future.join(waiting).toCompletionStage().toCompletableFuture().exceptionally(e -> null).get(30, TimeUnit.SECONDS);
    assertThat(waiting).filteredOn(Future::succeeded).hasSize(10);
    assertThat(waiting).filteredOn(Future::failed)
        .allMatch(f -> f.cause() instanceof ApiException e && e.status() == 429).hasSize(10);
  }
}
