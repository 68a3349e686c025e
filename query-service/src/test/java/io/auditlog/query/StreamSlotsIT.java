package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.InfluxWriter;
import io.auditlog.store.LineProtocol;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed reads of events against a real InfluxDB, one slot per tenant: an export whose reader stops reading holds
 * its slot (its answer is far more than the sockets buffer), the tenant's further streams get a 429 while other
 * tenants stream, and the slot comes back when that reader goes away.
 */
class StreamSlotsIT {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String FIRST = "slots-a" + RUN;
  private static final String SECOND = "slots-b" + RUN;
  private static final String THIRD = "slots-c" + RUN;
  /** About 1.2 KB each as NDJSON: some 14 MB, more than three times what a socket's send buffer may grow to. */
  private static final int EVENTS = 12_000;
  private static TestQueryService service;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService(1);
    store(FIRST, EVENTS);
    store(SECOND, EVENTS);
    store(THIRD, 3);
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  private static void store(String tenant, int count) throws Exception {
    long now = Instant.now().toEpochMilli() * 1_000_000L;
    String description = "d".repeat(1_000);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AuditEvent event = new AuditEvent("c", "app", "env", "GET", "200", "info",
          new Action("n", "t", 1, 1, 0.1, 0.5, 1, Optional.of(description), Optional.empty()),
          new Actor("o", Optional.empty()), Optional.empty(), Optional.empty());
      lines.add(LineProtocol.encode(new StampedEvent(tenant, "s" + i, "r" + i, now - i * 1000L, 1, event)));
    }
    InfluxWriter writer = TestQueryService.provisionedWriter(tenant);
    for (int from = 0; from < lines.size(); from += 4_000) {
      assertThat(writer.write(InfluxNames.database(tenant), lines.subList(from, Math.min(lines.size(),
          from + 4_000)))).isEmpty();
    }
  }

  /** An NDJSON export of the tenant's events whose reader reads the status line and nothing more. */
  private static Socket stalledExport(String tenant) throws Exception {
    return stalled("/api/events/export?format=ndjson", tenant);
  }

  /** A GET of {@code path} for the tenant whose reader reads the status line and nothing more. */
  private static Socket stalled(String path, String tenant) throws Exception {
    URI base = URI.create(service.base);
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: "
        + service.authorization(tenant) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    byte[] status = in.readNBytes("HTTP/1.1 200".length());
    assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
    return socket;
  }

  private static void assertRefused(String tenant, String why) throws Exception {
    HttpResponse<String> list = service.get("/api/events/list?limit=5", tenant);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(429);
    assertThat(list.headers().firstValue("Retry-After")).hasValue(Long.toString(StreamSlots.RETRY_AFTER_SECONDS));
    assertThat(list.headers().firstValue("Content-Type").orElse("")).contains("application/json");
    assertThat(list.body()).contains(why);
  }

  /** Waits until a short list of the tenant is answered in full (its reader's slot is free again). */
  private static void awaitListed(String tenant) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    HttpResponse<String> list = service.get("/api/events/list?limit=5", tenant);
    while (list.statusCode() == 429 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      list = service.get("/api/events/list?limit=5", tenant);
    }
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body().lines()).hasSize(tenant.equals(THIRD) ? 3 : 5);
  }

  @Test
  void aTenantsStreamsBeyondItsSlotsAreRefusedUntilOneEndsAndOthersStreamMeanwhile() throws Exception {
    try (Socket first = stalledExport(FIRST)) {
      assertRefused(FIRST, "This tenant already has 1");
      awaitListed(SECOND);
      try (Socket second = stalledExport(SECOND)) {
        assertRefused(SECOND, "This tenant already has 1");
        awaitListed(THIRD);
      }
      awaitListed(SECOND);
      assertRefused(FIRST, "This tenant already has 1");
    }
    awaitListed(FIRST);
  }

  @Test
  void anExportOfTheVerifiableHistoryTakesOneOfTheTenantsSlotsToo() throws Exception {
    HistoryTenant history = HistoryTenant.create();
    history.append(2_000, "h".repeat(1_000));
    history.sign(2_000);
    try (Socket export = stalled("/audit/" + history.tenant + "/export", history.tenant)) {
      assertRefused(history.tenant, "This tenant already has 1");
    }
    awaitListed(history.tenant);
  }
}
