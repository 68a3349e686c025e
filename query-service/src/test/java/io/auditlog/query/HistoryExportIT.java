package io.auditlog.query;

import static io.auditlog.query.HistoryProofsIT.decode;
import static io.auditlog.query.HistoryProofsIT.hashes;
import static io.auditlog.query.HistoryProofsIT.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.NanoTimestamps;
import io.auditlog.store.read.HistoryPoints;
import io.auditlog.store.read.ReadBudget;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.CompactRange;
import io.auditlog.verify.ExportVerifier;
import io.auditlog.verify.Jcs;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.PinStore;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.TreeHash;
import io.auditlog.verify.VerificationResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports against a real PostgreSQL and InfluxDB, checked as the offline verifier checks them: each event line is
 * rebuilt into its leaf from its salt and the JCS of the event as parsed, redacted lines give their entries, and the
 * §6 range check over left, the leaves and right must give the root of the verified note.
 */
class HistoryExportIT {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static TestQueryService service;
  private static HistoryTenant history;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
    history = HistoryTenant.create();
    history.append(150);
    history.sign(40, T0);
    history.sign(100, T0.plusSeconds(3600));
    history.sign(150, T0.plusSeconds(7200));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  /** An export as the verifier reads it. */
  private record Export(JsonNode header, List<Map<String, Object>> lines, JsonNode end) {
  }

  private static Export export(String query, String... headers) throws Exception {
    HttpResponse<byte[]> response = exported(history, query, headers);
    byte[] body = response.headers().firstValue("Content-Encoding").isPresent()
        ? new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes() : response.body();
    List<String> text = new String(body, StandardCharsets.UTF_8).lines().toList();
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String line : text.subList(1, text.size() - 1)) {
      lines.add(object(io.auditlog.verify.Json.parse(line)));
    }
    return new Export(Json.parseBody(text.get(0).getBytes(StandardCharsets.UTF_8)), lines,
        Json.parseBody(text.get(text.size() - 1).getBytes(StandardCharsets.UTF_8)));
  }

  /** A 200 answer of NDJSON to the tenant's export with this query. */
  private static HttpResponse<byte[]> exported(HistoryTenant tenant, String query, String... headers)
      throws Exception {
    HttpResponse<byte[]> response = service.getBytes("/audit/" + tenant.tenant + "/export" + query, tenant.tenant,
        null, headers);
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    return response;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) {
    return (Map<String, Object>) value;
  }

  /** The leaf hash each seq line stands for, rebuilt as the verifier rebuilds it. */
  private static List<byte[]> leafHashes(List<Map<String, Object>> lines) {
    List<byte[]> leaves = new ArrayList<>();
    for (Map<String, Object> line : lines) {
      switch ((String) line.get("type")) {
        case "event" -> {
          Map<String, Object> event = object(line.get("event"));
          Instant time = Instant.parse((String) event.get("timestamp"));
          leaves.add(LeafEntry.event(UUID.fromString((String) event.get("id")),
              time.getEpochSecond() * 1_000_000_000L + time.getNano(), decode((String) line.get("salt")),
              Jcs.canonicalBytes(event)).leafHash());
        }
        case "redacted" -> leaves.add(TreeHash.leaf(decode((String) line.get("entry"))));
        default -> throw new AssertionError("unexpected line " + line);
      }
    }
    return leaves;
  }

  /** Checks the export's range against the root of its verified note; answers that root. */
  private static byte[] assertRangeVerifies(Export export) {
    JsonNode header = export.header();
    long from = header.path("from_seq").asLong();
    long to = header.path("to_seq").asLong();
    long size = header.path("tree_size").asLong();
    Checkpoint checkpoint = Checkpoint.parse(SignedNote.open(header.path("checkpoint").asText(),
        List.of(history.key.verifierKey())).body());
    assertThat(checkpoint.size()).isEqualTo(size);
    assertThat(checkpoint.origin()).isEqualTo(header.path("origin").asText()).isEqualTo(history.origin);
    assertThat(export.lines()).hasSize((int) (to - from));
    for (int i = 0; i < export.lines().size(); i++) {
      assertThat(((Number) export.lines().get(i).get("seq")).longValue()).isEqualTo(from + i);
    }
    byte[] root = CompactRange.rootOf(from, to, size, hashes(header.path("left")), leafHashes(export.lines()),
        hashes(header.path("right")));
    assertThat(root).isEqualTo(checkpoint.root());
    assertThat(export.end().path("type").asText()).isEqualTo("end");
    assertThat(export.end().path("count").asLong()).isEqualTo(to - from);
    return root;
  }

  @Test
  void aWholeExportStreamsGzippedAndVerifiesWithTheRangeCheckAndTheSignedNote() throws Exception {
    HttpResponse<byte[]> response = service.getBytes("/audit/" + history.tenant + "/export", history.tenant, null,
        "Accept-Encoding", "gzip");
    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"audit-"
        + history.tenant + "-0-150.ndjson\"");
    Export export = export("", "Accept-Encoding", "gzip");
    assertThat(export.header().path("type").asText()).isEqualTo("header");
    assertThat(export.header().path("format").asText()).isEqualTo("audit-export/v1");
    assertThat(export.header().has("consistency")).isFalse();
    assertThat(export.header().path("left").size()).isZero();
    assertThat(export.header().path("right").size()).isZero();
    assertThat(export.lines()).allMatch(line -> line.get("type").equals("event"));
    assertThat(assertRangeVerifies(export)).isEqualTo(history.root(150));
  }

  @Test
  void aRangeCarriesItsCompactRangesAConsistencyProofAndRedactsAPointThatIsGone() throws Exception {
    HistoryTenant.Leaf gone = history.leaves.get(57);
    TestQueryService.SERVICES.influx().query(InfluxNames.database(history.tenant), "DELETE FROM \""
        + gone.event().event().category() + "\" WHERE time = " + gone.event().timestampNanos());
    Export export = export("?from_seq=10&to_seq=90&size=100&known_size=40");
    assertThat(export.header().path("from_seq").asLong()).isEqualTo(10);
    assertThat(export.header().path("to_seq").asLong()).isEqualTo(90);
    assertThat(export.header().path("left").size()).isEqualTo(Long.bitCount(10));
    assertThat(assertRangeVerifies(export)).isEqualTo(history.root(100));
    Map<String, Object> redacted = export.lines().get(57 - 10);
    assertThat(redacted.get("type")).isEqualTo("redacted");
    assertThat(decode((String) redacted.get("entry"))).isEqualTo(gone.entry().bytes());
    JsonNode consistency = export.header().path("consistency");
    assertThat(consistency.path("from").asLong()).isEqualTo(40);
    assertThat(consistency.path("to").asLong()).isEqualTo(100);
    Proofs.verifyConsistency(40, 100, history.root(40), history.root(100), hashes(consistency.path("hashes")));
    assertThat(export("?from_seq=0&to_seq=0&size=100&known_size=100").header().has("consistency")).isFalse();
    assertRangeVerifies(export("?from_seq=100&to_seq=100"));
  }

  @Test
  void aPinBeyondAnOlderCheckpointIsReachedByAProofFromItAndTheVerifierAcceptsIt(@TempDir Path state)
      throws Exception {
    HistoryTenant pinned = HistoryTenant.create();
    pinned.append(49);
    pinned.sign(26);
    pinned.sign(49);
    ExportVerifier verifier = ExportVerifier.withPins(List.of(pinned.key.verifierKey()), new PinStore(state));
    VerificationResult latest = verifier.verify(new ByteArrayInputStream(exportBytes(pinned, "")));
    assertThat(latest.exitCode()).as(latest.text()).isZero();
    VerificationResult without = verifier.verify(new ByteArrayInputStream(exportBytes(pinned, "?size=26")));
    assertThat(without.exitCode()).as(without.text()).isEqualTo(2);
    assertThat(without.text()).contains("known_size=49");

    byte[] proven = exportBytes(pinned, "?size=26&known_size=49");
    JsonNode consistency = header(proven).path("consistency");
    assertThat(consistency.path("from").asLong()).isEqualTo(26);
    assertThat(consistency.path("to").asLong()).isEqualTo(49);
    Proofs.verifyConsistency(26, 49, pinned.root(26), pinned.root(49), hashes(consistency.path("hashes")));
    VerificationResult result = verifier.verify(new ByteArrayInputStream(proven));
    assertThat(result.exitCode()).as(result.text()).isZero();
    assertThat(result.text()).contains("the pin stays");

    JsonNode unsigned = header(exportBytes(pinned, "?size=26&known_size=30")).path("consistency");
    assertThat(unsigned.path("to").asLong()).isEqualTo(30);
    Proofs.verifyConsistency(26, 30, pinned.root(26), pinned.root(30), hashes(unsigned.path("hashes")));
    JsonNode beyond = json(service.get("/audit/" + pinned.tenant + "/export?size=26&known_size=50", pinned.tenant),
        422);
    assertThat(beyond.path("detail").path(0).path("loc").toString()).isEqualTo("[\"query\",\"known_size\"]");
  }

  private static byte[] exportBytes(HistoryTenant tenant, String query) throws Exception {
    return exported(tenant, query).body();
  }

  private static JsonNode header(byte[] export) {
    return Json.parseBody(new String(export, StandardCharsets.UTF_8).lines().findFirst().orElseThrow()
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void startAndStopMapToTheSizesOfTheCheckpointsSignedBeforeThem() throws Exception {
    String start = T0.plusSeconds(60).toString();
    String stop = T0.plusSeconds(3600 + 60).toString();
    HttpResponse<byte[]> response = service.getBytes("/audit/" + history.tenant + "/export?start=" + start
        + "&stop=" + stop, history.tenant, null);
    assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"audit-"
        + history.tenant + "-40-100.ndjson\"");
    Export export = export("?start=" + start + "&stop=" + stop);
    assertThat(export.header().path("from_seq").asLong()).isEqualTo(40);
    assertThat(export.header().path("to_seq").asLong()).isEqualTo(100);
    assertThat(export.header().path("tree_size").asLong()).isEqualTo(150);
    assertRangeVerifies(export);
    Export before = export("?stop=" + T0.minusSeconds(1).getEpochSecond());
    assertThat(before.header().path("to_seq").asLong()).isZero();
    assertRangeVerifies(before);
  }

  @Test
  void invalidRangesAre422AndUnknownSizes404() throws Exception {
    assert422("?from_seq=1&start=1d", "start");
    assert422("?from_seq=20&to_seq=10", "from_seq");
    assert422("?to_seq=120&size=100", "to_seq");
    assert422("?size=151", "size");
    assert422("?known_size=151&size=100", "known_size");
    assert422("?start=yesterday", "start");
    assert422("?start=2025-03-01T12:00:00Z&stop=2025-03-01T11:00:00Z", "stop");
    for (String malformed : new String[] {"-1", "01", "1.5", "18446744073709551616", ""}) {
      for (String name : new String[] {"from_seq", "to_seq", "size", "known_size"}) {
        assert422("?" + name + "=" + malformed, name);
      }
    }
    HttpResponse<String> missing = service.get("/audit/" + history.tenant + "/export?size=99", history.tenant);
    assertThat(json(missing, 404).path("detail").path("type").asText()).isEqualTo("checkpoint_not_found");
    assertThat(missing.headers().firstValue("Content-Disposition")).isEmpty();
  }

  @Test
  void anEventErasedAfterTheCheckpointIsAConflictAndOneErasedBeforeIsRedactedAndExplained() throws Exception {
    HistoryTenant erased = HistoryTenant.create();
    erased.append(20);
    erased.sign(12);
    erased.sign(20);
    HistoryTenant.Leaf event = erased.leaves.get(3);
    // The record's leaf stands at seq 15 (within both the tree of 20 and beyond the exported range).
    String record = "{\"kind\":\"erasure\",\"id\":\"" + UUID.randomUUID() + "\",\"erased\":[{\"id\":\""
        + event.event().id() + "\",\"seq\":3}]}";
    byte[] salt = new byte[16];
    erased.sql("INSERT INTO tlog_erasures (tenant, seq, salt, record) VALUES (?, 15, ?, ?)", erased.id, salt,
        record);
    erased.sql("INSERT INTO tlog_erased (tenant, id, seq, erasure_seq) VALUES (?, ?, 3, 15)", erased.id,
        UUID.fromString(event.event().id()));
    TestQueryService.SERVICES.influx().query(InfluxNames.database(erased.tenant), "DELETE FROM \""
        + event.event().event().category() + "\" WHERE time = " + event.event().timestampNanos());

    HttpResponse<String> conflict = service.get("/audit/" + erased.tenant + "/export?size=12", erased.tenant);
    assertThat(json(conflict, 409).path("detail").path("type").asText()).isEqualTo("erased_after_checkpoint");
    assertThat(service.get("/audit/" + erased.tenant + "/export?size=12&from_seq=4", erased.tenant).statusCode())
        .isEqualTo(200);

    HttpResponse<String> response = service.get("/audit/" + erased.tenant + "/export?to_seq=10", erased.tenant);
    List<String> lines = response.body().lines().toList();
    assertThat(Json.parseBody(lines.get(4).getBytes(StandardCharsets.UTF_8)).path("type").asText())
        .isEqualTo("redacted");
    JsonNode proof = Json.parseBody(lines.get(lines.size() - 2).getBytes(StandardCharsets.UTF_8));
    assertThat(proof.path("type").asText()).isEqualTo("erasure_proof");
    assertThat(proof.path("seq").asLong()).isEqualTo(15);
    assertThat(proof.path("salt").asText()).isEqualTo(Base64.getEncoder().encodeToString(salt));
    assertThat(proof.path("record").path("erased").path(0).path("seq").asLong()).isEqualTo(3);
    Proofs.verifyInclusion(15, 20, erased.leaves.get(15).leafHash(), hashes(proof.path("hashes")),
        erased.root(20));

    JsonNode inclusion = json(service.get("/audit/" + erased.tenant + "/proof/inclusion?id=" + event.event().id(),
        erased.tenant), 200);
    assertThat(inclusion.path("status").asText()).isEqualTo("redacted");
    assertThat(inclusion.has("salt")).isFalse();
    Proofs.verifyInclusion(3, 20, event.leafHash(), hashes(inclusion.path("hashes")), erased.root(20));
    JsonNode erasure = inclusion.path("erasure");
    assertThat(erasure.path("seq").asLong()).isEqualTo(15);
    Proofs.verifyInclusion(15, 20, erased.leaves.get(15).leafHash(), hashes(erasure.path("hashes")),
        erased.root(20));
    assertThat(service.get("/audit/" + erased.tenant + "/proof/inclusion?id=" + event.event().id(), erased.tenant,
        "method = GET").statusCode()).isEqualTo(404);
  }

  @Test
  void eventsPastRetentionAreExplainedByTheRetentionRecordAndCheckpointsBeforeItConflict() throws Exception {
    HistoryTenant retained = HistoryTenant.create();
    retained.append(20);
    retained.sign(12);
    retained.sign(20);
    // The retention record's leaf stands at seq 15; its cutoff falls just after the first five events.
    long cutoff = retained.leaves.get(5).event().timestampNanos();
    String record = "{\"kind\":\"erasure\",\"reason\":\"retention\",\"id\":\"" + UUID.randomUUID()
        + "\",\"before\":\"" + NanoTimestamps.format(cutoff) + "\"}";
    retained.sql("INSERT INTO tlog_erasures (tenant, seq, salt, record) VALUES (?, 15, ?, ?)", retained.id,
        new byte[16], record);
    retained.sql("UPDATE tlog_trees SET retained_before = ?, retention_seq = 15 WHERE tenant = ?", cutoff,
        retained.id);
    TestQueryService.SERVICES.influx().query(InfluxNames.database(retained.tenant), "DELETE WHERE time < " + cutoff);

    HttpResponse<String> conflict = service.get("/audit/" + retained.tenant + "/export?size=12", retained.tenant);
    assertThat(json(conflict, 409).path("detail").path("type").asText()).isEqualTo("erased_after_checkpoint");
    assertThat(service.get("/audit/" + retained.tenant + "/export?from_seq=16", retained.tenant).statusCode())
        .as("a range after the record").isEqualTo(200);

    List<String> lines = service.get("/audit/" + retained.tenant + "/export?to_seq=10", retained.tenant).body()
        .lines().toList();
    for (int seq = 0; seq < 10; seq++) {
      assertThat(Json.parseBody(lines.get(1 + seq).getBytes(StandardCharsets.UTF_8)).path("type").asText())
          .as("seq %d", seq).isEqualTo(seq < 5 ? "redacted" : "event");
    }
    JsonNode proof = Json.parseBody(lines.get(lines.size() - 2).getBytes(StandardCharsets.UTF_8));
    assertThat(proof.path("type").asText()).isEqualTo("erasure_proof");
    assertThat(proof.path("seq").asLong()).isEqualTo(15);
    assertThat(proof.path("record").path("reason").asText()).isEqualTo("retention");
    Proofs.verifyInclusion(15, 20, retained.leaves.get(15).leafHash(), hashes(proof.path("hashes")),
        retained.root(20));

    // A newer record beyond every checkpoint: nothing is deleted under it yet, and the older one still explains.
    retained.append(5);
    String newer = record.replace(NanoTimestamps.format(cutoff),
        NanoTimestamps.format(retained.leaves.get(8).event().timestampNanos()));
    retained.sql("INSERT INTO tlog_erasures (tenant, seq, salt, record) VALUES (?, 22, ?, ?)", retained.id,
        new byte[16], newer.replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"" + UUID.randomUUID() + "\""));
    retained.sql("UPDATE tlog_trees SET retained_before = ?, retention_seq = 22 WHERE tenant = ?",
        retained.leaves.get(8).event().timestampNanos(), retained.id);
    List<String> again = service.get("/audit/" + retained.tenant + "/export?to_seq=10", retained.tenant).body()
        .lines().toList();
    assertThat(Json.parseBody(again.get(again.size() - 2).getBytes(StandardCharsets.UTF_8)).path("seq").asLong())
        .isEqualTo(15);
    assertThat(service.get("/audit/" + retained.tenant + "/export?size=12", retained.tenant).statusCode())
        .isEqualTo(409);
    assertThat(service.get("/audit/" + retained.tenant + "/export", retained.tenant).statusCode()).isEqualTo(200);

    // Points gone under a cutoff no checkpoint of the export holds (as when a retention run deletes while an export
    // is being read): the export stops rather than write lines a verifier would call MISSING.
    TestQueryService.SERVICES.influx().query(InfluxNames.database(retained.tenant), "DELETE WHERE time < "
        + retained.leaves.get(8).event().timestampNanos());
    String cut;
    try {
      cut = service.get("/audit/" + retained.tenant + "/export", retained.tenant).body();
    } catch (IOException e) {
      cut = "";
    }
    assertThat(cut).doesNotContain("\"type\":\"end\"");
  }

  @Test
  void eventsTooLargeForOneReadOfAChunkAreReadInSmallerParts() throws Exception {
    HistoryTenant large = HistoryTenant.create();
    List<HistoryTenant.Leaf> leaves = large.append(64, "x".repeat(60_000));
    large.sign(64, T0);
    HttpResponse<byte[]> response = exported(large, "");
    List<String> text = new String(response.body(), StandardCharsets.UTF_8).lines().toList();
    assertThat(text).hasSize(66);
    assertThat(Json.parseBody(text.get(65).getBytes(StandardCharsets.UTF_8)).path("count").asLong()).isEqualTo(64);
    List<byte[]> hashes = leafHashes(text.subList(1, 65).stream()
        .map(line -> object(io.auditlog.verify.Json.parse(line))).toList());
    for (int i = 0; i < 64; i++) {
      assertThat(hashes.get(i)).as("leaf " + i).isEqualTo(leaves.get(i).leafHash());
    }
  }

  @Test
  void aTenantWithMoreCategoriesThanAQueryMayMergeIsExportedWhole() throws Exception {
    int categories = 2 * HistoryPoints.MEASUREMENTS_PER_READ + 50;
    try (TestQueryService narrow = new TestQueryService(Duration.ZERO, new ReadBudget(Duration.ofSeconds(30),
        Duration.ofMinutes(15), 1_000_000, 3))) {
      HistoryTenant spread = HistoryTenant.create();
      List<HistoryTenant.Leaf> leaves = spread.appendEachInItsOwnCategory(categories);
      spread.sign(categories, T0);
      HttpResponse<String> count = narrow.get("/api/events/count?variable=REQUEST_METHOD", spread.tenant);
      assertThat(count.statusCode()).as("a command over every category stays bounded").isEqualTo(422);
      assertThat(count.body()).contains("more than 3 categories");
      HttpResponse<byte[]> response = narrow.getBytes("/audit/" + spread.tenant + "/export", spread.tenant, null);
      List<String> text = new String(response.body(), StandardCharsets.UTF_8).lines().toList();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(text).hasSize(categories + 2);
      List<Map<String, Object>> lines = text.subList(1, categories + 1).stream()
          .map(line -> object(io.auditlog.verify.Json.parse(line))).toList();
      assertThat(lines).allSatisfy(line -> assertThat(line.get("type")).isEqualTo("event"));
      List<byte[]> hashes = leafHashes(lines);
      for (int i = 0; i < categories; i++) {
        assertThat(hashes.get(i)).as("leaf " + i).isEqualTo(leaves.get(i).leafHash());
      }
    }
  }

  private static void assert422(String query, String name) throws Exception {
    JsonNode body = json(service.get("/audit/" + history.tenant + "/export" + query, history.tenant), 422);
    assertThat(body.path("detail").path(0).path("loc").toString()).as(query + " " + body)
        .isEqualTo("[\"query\",\"" + name + "\"]");
  }
}
