package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.store.LineProtocol;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.Proofs;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifiable history end to end, through the gateway with real processes: what is stored exports and verifies
 * offline; tampering done straight in InfluxDB or in the export is caught with where it is; a delete leaves redacted
 * lines explained by their erasure record, and proofs made before it stay valid.
 */
class HistoryIT {

  private static Cluster cluster;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster();
    cluster.startWorker();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A tenant that stored {@code requests} requests of {@code batch} events, all covered by a signed checkpoint. */
  private static HistoryClient storedTenant(Cluster.Tenant tenant, int requests, int batch) throws Exception {
    EventStream stream = new EventStream(cluster.base, List.of(tenant), requests, batch, 0).start();
    stream.await();
    assertThat(stream.refused.get()).isZero();
    long events = (long) requests * batch;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (cluster.storedEvents(tenant.id()) < events && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    HistoryClient history = new HistoryClient(cluster, tenant);
    history.awaitCheckpoint(events, Duration.ofSeconds(30));
    return history;
  }

  @Test
  void anExportVerifiesAndEveryKindOfTamperingIsCaughtWithWhereItIs() throws Exception {
    Cluster.Tenant tenant = cluster.newTenant();
    HistoryClient history = storedTenant(tenant, 5, 20);
    Path export = history.export(dir.resolve("whole.ndjson"), "");
    HistoryClient.Verdict clean = history.verify(export);
    assertThat(clean.exit()).as(clean.output()).isZero();
    assertThat(clean.output()).contains("RESULT: OK", "100");

    List<String> lines = Files.readAllLines(export);
    List<String> swapped = new ArrayList<>(lines);
    swapped.set(3, lines.get(4));
    swapped.set(4, lines.get(3));
    assertCaught(history, "reordered.ndjson", swapped, "seq");

    List<String> forged = new ArrayList<>(lines);
    JsonNode header = Cluster.JSON.readTree(lines.get(0));
    String note = header.path("checkpoint").asText();
    String root = note.split("\n")[2];
    String otherRoot = Base64.getEncoder().encodeToString(new byte[32]);
    forged.set(0, lines.get(0).replace(root, otherRoot));
    assertCaught(history, "checkpoint-edited.ndjson", forged, "signature");

    JsonNode point = cluster.influxAsAdmin(tenant.id(), "SELECT * FROM stream LIMIT 1").path("results").path(0)
        .path("series").path(0);
    long time = point.path("values").path(0).path(0).asLong();
    cluster.writeAsAdmin(tenant.id(), cluster.seriesKeyOf(tenant.id(), point) + " origin=\""
        + LineProtocol.escapeText("10.9.9.9") + "\" " + time);
    HistoryClient.Verdict altered = history.verify(history.export(dir.resolve("altered.ndjson"), ""));
    assertThat(altered.exit()).as(altered.output()).isEqualTo(1);
    assertThat(altered.output()).contains("RESULT: FAILED").containsPattern("seq \\d+");

    cluster.influxAsAdmin(tenant.id(), "DELETE FROM stream WHERE time = " + time);
    HistoryClient.Verdict missing = history.verify(history.export(dir.resolve("missing.ndjson"), ""));
    assertThat(missing.exit()).as(missing.output()).isEqualTo(1);
    assertThat(missing.output()).contains("MISSING", "RESULT: FAILED");
  }

  @Test
  void aDeleteLeavesRedactedLinesExplainedByItsErasureRecordAndEarlierProofsStayValid() throws Exception {
    Cluster.Tenant tenant = cluster.newTenant();
    HistoryClient history = storedTenant(tenant, 3, 10);
    Checkpoint before = history.checkpoint();
    List<String> ids = new ArrayList<>();
    cluster.log(tenant, "category=stream&app=app1&size=100").forEach(e -> ids.add(e.path("id").asText()));
    assertThat(ids).as("app1 is every third event").hasSize(9);
    String kept = cluster.log(tenant, "category=stream&app=app0&size=1").path(0).path("id").asText();

    HttpResponse<String> deleted = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
        + "/api/events/delete?limit=-1&filter=" + URLEncoder.encode("app = \"app1\"", StandardCharsets.UTF_8)))
        .header("Authorization", "Bearer " + tenant.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.body().strip()).isEqualTo("9");
    assertThat(cluster.storedEvents(tenant.id())).isEqualTo(21);

    Checkpoint after = history.awaitCheckpoint(31, Duration.ofSeconds(10));
    HistoryClient.Verdict verdict = history.verify(history.export(dir.resolve("after-delete.ndjson"), ""));
    assertThat(verdict.exit()).as(verdict.output()).isZero();
    assertThat(verdict.output()).contains("21 events, 1 erasure records, 9 redacted", "missing 0", "RESULT: OK");
    JsonNode erased = history.json("/proof/inclusion?id=" + ids.get(0));
    assertThat(erased.path("status").asText()).isEqualTo("redacted");
    JsonNode record = erased.path("erasure").path("record");
    assertThat(record.path("reason").asText()).isEqualTo("delete");
    assertThat(record.path("actor").path("username").asText()).isEqualTo(tenant.username());
    assertThat(record.path("filter").asText()).isEqualTo("app = \"app1\"");
    assertThat(record.path("erased")).hasSize(9);

    for (Checkpoint checkpoint : List.of(before, after)) {
      JsonNode proof = history.json("/proof/inclusion?id=" + kept + "&size=" + checkpoint.size());
      List<byte[]> hashes = new ArrayList<>();
      proof.path("hashes").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
      Proofs.verifyInclusion(proof.path("seq").asLong(), checkpoint.size(),
          Base64.getDecoder().decode(proof.path("leaf_hash").asText()), hashes, checkpoint.root());
    }
    JsonNode consistency = history.json("/proof/consistency?from=" + before.size() + "&to=" + after.size());
    List<byte[]> path = new ArrayList<>();
    consistency.path("hashes").forEach(h -> path.add(Base64.getDecoder().decode(h.asText())));
    Proofs.verifyConsistency(before.size(), after.size(), before.root(), after.root(), path);

    Thread.sleep(2_000);
    assertThat(cluster.log(tenant, "category=stream&app=app1&size=100")).as("nothing erased comes back").isEmpty();
  }

  @Test
  void aDocumentWithoutACanonicalFormIsRefusedAtTheEdgeAndIngestionGoesOn() throws Exception {
    Cluster.Tenant tenant = cluster.newTenant();
    String event = "{\"category\":\"odd\",\"source_information\":{\"application\":\"a\",\"environment\":\"e\"},"
        + "\"method\":\"GET\",\"status\":\"ok\",\"level\":\"info\",\"event\":{\"name\":\"n\",\"type\":\"t\","
        + "\"total_duration\":1,\"affected_resources\":1,\"latency\":1,\"cpu_usage\":1,\"memory_usage\":1,"
        + "\"detail\":{\"s\":%s}},\"actor\":{\"origin\":\"10.0.0.1\"}}";
    for (String value : List.of("\"\\ud800\"", "1e400")) {
      HttpResponse<String> answer = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/audit/log"))
          .header("api-key", tenant.accessKey()).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(event.formatted(value))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
      assertThat(answer.body()).contains("\"loc\":[\"body\",\"event\",\"detail\",\"s\"]");
    }
    HistoryClient history = storedTenant(tenant, 1, 3);
    assertThat(history.checkpoint().size()).isEqualTo(3);
  }

  private void assertCaught(HistoryClient history, String name, List<String> lines, String where) throws Exception {
    HistoryClient.Verdict verdict = history.verify(Files.write(dir.resolve(name), lines));
    assertThat(verdict.exit()).as(verdict.output()).isEqualTo(1);
    assertThat(verdict.output()).contains("RESULT: FAILED").containsIgnoringCase(where);
  }
}
