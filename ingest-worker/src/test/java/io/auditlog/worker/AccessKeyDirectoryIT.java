package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.BackingServices;
import io.auditlog.model.AccessKeyHash;
import io.auditlog.store.EventSink;
import io.auditlog.tlog.PgLogin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Access keys against the real PostgreSQL: a batch's keys, found or not, are learned by its prefetch. */
class AccessKeyDirectoryIT {

  private static final BackingServices SERVICES = BackingServices.forTests();

  @Test
  void aBatchsKeysAreLearnedTogetherFoundOrNot() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + SERVICES.postgres().port() + "/auditlog";
    PgLogin owner = new PgLogin(url, "auditlog", SERVICES.postgres().password());
    String schema = "keys_" + UUID.randomUUID().toString().replace("-", "");
    long active;
    try (Connection connection = owner.connect(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
      statement.execute("CREATE TABLE " + schema + ".users (id BIGSERIAL PRIMARY KEY, access_key_hash TEXT NOT NULL,"
          + " is_active BOOLEAN NOT NULL)");
      active = insert(connection, schema, "active-key", true);
      insert(connection, schema, "inactive-key", false);
    }
    List<String> madeUp = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      madeUp.add(UUID.randomUUID().toString());
    }
    List<String> batch = new ArrayList<>(madeUp);
    batch.addAll(List.of(" active-key ", "inactive-key", "active-key"));

    PgLogin login = new PgLogin(url + "?currentSchema=" + schema, "auditlog", SERVICES.postgres().password());
    try (AccessKeyDirectory directory = new AccessKeyDirectory(login, Duration.ofMinutes(5))) {
      directory.prefetch(batch);
      try (Connection connection = owner.connect(); Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA " + schema + " CASCADE");
      }
      // The table is gone: every key of the batch is answered from what its prefetch learned, and no other is.
      assertThat(directory.tenantOf("active-key")).contains(Long.toString(active));
      assertThat(directory.tenantOf("inactive-key")).isEmpty();
      assertThat(madeUp).allSatisfy(key -> assertThat(directory.tenantOf(key)).isEmpty());
      assertThatThrownBy(() -> directory.tenantOf("never-asked"))
          .isInstanceOf(EventSink.TransientWriteException.class);
    }
  }

  private static long insert(Connection connection, String schema, String key, boolean active) throws Exception {
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema
        + ".users (access_key_hash, is_active) VALUES (?, ?) RETURNING id")) {
      statement.setString(1, AccessKeyHash.of(key));
      statement.setBoolean(2, active);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
