package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.Ports;
import io.auditlog.model.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The writer against a real InfluxDB: refused lines are isolated, the rest is stored; a dead store is transient. */
class InfluxWriterIT {

  private static final BackingServices SERVICES = BackingServices.forTests();

  @Test
  void isolatesRefusedLinesAndStoresTheRestCreatingTheDatabase() throws Exception {
    String database = "audit_w" + UUID.randomUUID().toString().substring(0, 8);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add("m,t=a v=" + i + ".5 " + (1_700_000_000_000_000_000L + i));
    }
    lines.set(7, "m,t=a v=\"text where a float belongs\" 1700000000000000007");
    lines.set(29, "this is not line protocol");
    InfluxWriter writer = new InfluxWriter(SERVICES.influx().url(), Duration.ofSeconds(10));

    List<EventSink.Rejected> rejected = writer.write(database, lines);

    assertThat(rejected).extracting(EventSink.Rejected::line).containsExactlyInAnyOrder(lines.get(7), lines.get(29));
    assertThat(rejected).allSatisfy(r -> assertThat(r.reason()).startsWith("InfluxDB 400"));
    assertThat(count(database)).isEqualTo(38);
  }

  @Test
  void anUnreachableStoreIsATransientFailure() {
    InfluxWriter writer = new InfluxWriter("http://127.0.0.1:" + Ports.free(), Duration.ofSeconds(2));
    assertThatThrownBy(() -> writer.write("audit_x", List.of("m v=1 1")))
        .isInstanceOf(EventSink.TransientWriteException.class);
  }

  private static long count(String database) throws Exception {
    String q = URLEncoder.encode("SELECT count(\"v\") FROM \"m\"", StandardCharsets.UTF_8);
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SERVICES.influx().url()
        + "/query?db=" + database + "&q=" + q)).build(), HttpResponse.BodyHandlers.ofString()).body();
    JsonNode value = Json.MAPPER.readTree(body).path("results").path(0).path("series").path(0).path("values").path(0)
        .path(1);
    return value.asLong();
  }
}
