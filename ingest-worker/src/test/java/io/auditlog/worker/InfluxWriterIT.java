package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.store.InfluxWriter;
import io.auditlog.store.EventSink;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.Ports;
import io.auditlog.model.InfluxNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The writer against a real InfluxDB, as the writer user: refused lines are isolated, the rest is stored; a dead
 * store and a database not provisioned yet are transient failures (the writer creates nothing).
 */
class InfluxWriterIT {

  private static final BackingServices SERVICES = BackingServices.forTests();

  private static InfluxWriter writer() {
    return new InfluxWriter(SERVICES.influx().url(), SERVICES.influxAccess().writer(), Duration.ofSeconds(10));
  }

  @Test
  void isolatesRefusedLinesAndStoresTheRest() throws Exception {
    String database = provisionedDatabase();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add("m,t=a v=" + i + ".5 " + (1_700_000_000_000_000_000L + i));
    }
    lines.set(7, "m,t=a v=\"text where a float belongs\" 1700000000000000007");
    lines.set(29, "this is not line protocol");

    List<EventSink.Rejected> rejected = writer().write(database, lines);

    assertThat(rejected).extracting(EventSink.Rejected::line).containsExactlyInAnyOrder(lines.get(7), lines.get(29));
    assertThat(rejected).allSatisfy(r -> assertThat(r.reason()).startsWith("InfluxDB 400"));
    assertThat(count(database)).isEqualTo(38);
  }

  @Test
  void aBodyOfManyChunksIsStoredWhole() throws Exception {
    String database = provisionedDatabase();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {  // random text compresses to about 40 bytes a line: 3 chunks and more
      lines.add("m,t=a v=" + i + ".5,s=\"" + UUID.randomUUID() + "\" " + (1_700_000_000_000_000_000L + i));
    }

    assertThat(writer().write(database, lines)).isEmpty();

    assertThat(count(database)).isEqualTo(5_000);
    assertThat(SERVICES.influx().query(database, "SELECT \"s\" FROM \"m\" WHERE time = 1700000000000004999")
        .toString()).contains(lines.get(4_999).split("\"")[1]);
  }

  @Test
  void aDatabaseNotProvisionedIsATransientFailureAndIsNotCreated() {
    SERVICES.influx().provision(SERVICES.influxAccess().provisioning(), "w" + UUID.randomUUID().toString()
        .substring(0, 8));  // the writer user exists
    String database = InfluxNames.database("unprovisioned" + UUID.randomUUID().toString().substring(0, 8));
    assertThatThrownBy(() -> writer().write(database, List.of("m v=1 1")))
        .isInstanceOf(EventSink.TransientWriteException.class).hasMessageContaining("database not found");
    assertThat(SERVICES.influx().execute("SHOW DATABASES").toString()).doesNotContain(database);
  }

  @Test
  void anUnreachableStoreIsATransientFailure() {
    InfluxWriter writer = new InfluxWriter("http://127.0.0.1:" + Ports.free(), SERVICES.influxAccess().writer(),
        Duration.ofSeconds(2));
    assertThatThrownBy(() -> writer.write("audit_x", List.of("m v=1 1")))
        .isInstanceOf(EventSink.TransientWriteException.class);
  }

  /** A new tenant's database, provisioned (the writer may write to it). */
  private static String provisionedDatabase() {
    String tenant = "w" + UUID.randomUUID().toString().substring(0, 8);
    SERVICES.influx().provision(SERVICES.influxAccess().provisioning(), tenant);
    return InfluxNames.database(tenant);
  }

  private static long count(String database) {
    return SERVICES.influx().query(database, "SELECT count(\"v\") FROM \"m\"").path("results").path(0)
        .path("series").path(0).path("values").path(0).path(1).asLong();
  }
}
