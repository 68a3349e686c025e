package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.BackingServices;
import io.auditlog.store.TagShape;
import io.auditlog.tlog.PgLogin;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The counts' migrations, applied to a schema of their own in the real PostgreSQL, list the accounts that exist when
 * they run as eight-tag tenants, and no account made later: those are written with four tags.
 */
class TenantShapesIT {

  private static final BackingServices SERVICES = BackingServices.forTests();

  @Test
  void theAccountsThatExistWhenTheTableIsMadeKeepEightTagsAndLaterOnesGetFour() throws Exception {
    PgLogin login = schema();
    sql(login, "CREATE TABLE users (id BIGINT PRIMARY KEY)", "INSERT INTO users (id) VALUES (7), (9)");
    WorkerSchema.migrateCounts(login);
    sql(login, "INSERT INTO users (id) VALUES (12)");
    try (TenantShapes shapes = TenantShapes.in(login)) {
      assertThat(shapes.of("7")).isEqualTo(TagShape.EIGHT_TAGS);
      assertThat(shapes.of("9")).isEqualTo(TagShape.EIGHT_TAGS);
      assertThat(shapes.of("12")).isEqualTo(TagShape.FOUR_TAGS);
      assertThat(shapes.of("13")).isEqualTo(TagShape.FOUR_TAGS);
    }
  }

  @Test
  void aDatabaseWithoutAccountsYetListsNone() throws Exception {
    PgLogin login = schema();
    WorkerSchema.migrateCounts(login);
    try (TenantShapes shapes = TenantShapes.in(login)) {
      assertThat(shapes.of("1")).isEqualTo(TagShape.FOUR_TAGS);
    }
  }

  /** A fresh schema of the service's database, and a login whose statements and migrations go there. */
  private static PgLogin schema() throws SQLException {
    String schema = "shapes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String url = "jdbc:postgresql://127.0.0.1:" + SERVICES.postgres().port() + "/auditlog";
    sql(new PgLogin(url, "auditlog", SERVICES.postgres().password()), "CREATE SCHEMA " + schema);
    return new PgLogin(url + "?currentSchema=" + schema, "auditlog", SERVICES.postgres().password());
  }

  private static void sql(PgLogin login, String... statements) throws SQLException {
    try (Connection connection = login.connect(); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
