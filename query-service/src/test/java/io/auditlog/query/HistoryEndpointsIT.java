package io.auditlog.query;

import static io.auditlog.query.HistoryProofsIT.hashes;
import static io.auditlog.query.HistoryProofsIT.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.RecordStamper;
import io.auditlog.query.history.HistorySettings;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.LeafEntry;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.TreeHash;
import io.auditlog.verify.VerifierKey;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every status of the history endpoints against a real PostgreSQL and InfluxDB: checkpoints and their caching, keys,
 * pending and unknown inclusion proofs, tiles and bundles only as far as the latest checkpoint, 422 for every
 * malformed or uncovered number, 403/404 for callers with a view, 404 for another tenant, and 404
 * {@code tlog_disabled} with the history off or its tables missing.
 */
class HistoryEndpointsIT {

  private static final String[] MALFORMED = {"-1", "01", "1.5", "18446744073709551616", "", "1e3", "+1"};

  private static TestQueryService service;
  private static HistoryTenant history;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
    history = HistoryTenant.create();
    history.append(300);
    history.sign(40);
    history.sign(260);
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  private static HttpResponse<String> get(String suffix) throws Exception {
    return service.get("/audit/" + history.tenant + suffix, history.tenant);
  }

  private static HttpResponse<byte[]> bytes(String suffix, String... headers) throws Exception {
    return service.getBytes("/audit/" + history.tenant + suffix, history.tenant, null, headers);
  }

  private static void assertError(HttpResponse<String> response, int status, String type) {
    JsonNode body = json(response, status);
    assertThat(body.path("detail").path("type").asText()).as(response.body()).isEqualTo(type);
  }

  private static void assert422(HttpResponse<String> response, String where, String name) {
    JsonNode body = json(response, 422);
    assertThat(body.path("detail").path(0).path("loc").toString()).as(response.body())
        .isEqualTo("[\"" + where + "\",\"" + name + "\"]");
  }

  @Test
  void theLatestCheckpointIsNeverCachedAndStoredOnesAreImmutable() throws Exception {
    HttpResponse<String> latest = get("/checkpoint");
    assertThat(latest.statusCode()).isEqualTo(200);
    assertThat(latest.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(latest.headers().firstValue("Cache-Control")).hasValue("no-cache");
    Checkpoint checkpoint = Checkpoint.parse(SignedNote.open(latest.body(), List.of(history.key.verifierKey()))
        .body());
    assertThat(checkpoint.size()).isEqualTo(260);
    assertThat(checkpoint.root()).isEqualTo(history.root(260));

    HttpResponse<String> stored = get("/checkpoints/40");
    assertThat(stored.statusCode()).isEqualTo(200);
    assertThat(stored.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
    assertThat(Checkpoint.parse(SignedNote.open(stored.body(), List.of(history.key.verifierKey())).body()).root())
        .isEqualTo(history.root(40));

    assertError(get("/checkpoints/41"), 404, "checkpoint_not_found");
    assert422(get("/checkpoints/261"), "path", "size");
    for (String malformed : MALFORMED) {
      assert422(get("/checkpoints/" + malformed), "path", "size");
    }
  }

  @Test
  void withoutACheckpointTheLatestIs404WithRetryAfter() throws Exception {
    HistoryTenant fresh = HistoryTenant.create();
    fresh.append(2);
    HttpResponse<String> none = service.get("/audit/" + fresh.tenant + "/checkpoint", fresh.tenant);
    assertError(none, 404, "checkpoint_not_found");
    assertThat(none.headers().firstValue("Retry-After")).hasValue("1");
    assertError(service.get("/audit/" + fresh.tenant + "/checkpoints/0", fresh.tenant), 404,
        "checkpoint_not_found");
    assertError(service.get("/audit/" + fresh.tenant + "/proof/consistency?from=0", fresh.tenant), 404,
        "checkpoint_not_found");
    assertError(service.get("/audit/" + fresh.tenant + "/tile/0/000.p/1", fresh.tenant), 404, "tile_not_found");
  }

  @Test
  void keysListEverySigningKeyAsAVkeyOfTheTenantsOrigin() throws Exception {
    JsonNode keys = json(get("/keys"), 200);
    assertThat(keys.path("origin").asText()).isEqualTo(history.origin);
    JsonNode key = keys.path("keys").path(0);
    assertThat(key.path("vkey").asText()).isEqualTo(history.key.vkey());
    assertThat(VerifierKey.parse(key.path("vkey").asText()).keyId()).isEqualTo(key.path("key_id").asText());
    assertThat(key.path("algorithm").asText()).isEqualTo("ed25519");
    assertThat(key.path("valid_from").asText()).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(key.path("valid_until").isNull()).isTrue();
  }

  @Test
  void inclusionIsPendingUntilACheckpointCoversTheEventAndForYoungUnknownIds() throws Exception {
    HistoryTenant.Leaf uncovered = history.leaves.get(270);
    HttpResponse<String> pending = get("/proof/inclusion?id=" + uncovered.event().id());
    JsonNode body = json(pending, 202);
    assertThat(pending.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(body.path("status").asText()).isEqualTo("pending");
    assertThat(body.path("seq").asLong()).isEqualTo(270);
    assertThat(body.path("retry_after").asInt()).isEqualTo(1);

    assert422(get("/proof/inclusion?id=" + uncovered.event().id() + "&size=260"), "query", "size");
    assert422(get("/proof/inclusion?id=" + history.leaves.get(50).event().id() + "&size=40"), "query", "size");

    String young = RecordStamper.uuid7(System.currentTimeMillis(), "young").toString();
    JsonNode unknown = json(get("/proof/inclusion?id=" + young), 202);
    assertThat(unknown.path("seq").isNull()).isTrue();
    String old = RecordStamper.uuid7(System.currentTimeMillis() - 61_000, "old").toString();
    assertError(get("/proof/inclusion?id=" + old), 404, "event_not_found");
    assertError(get("/proof/inclusion?id=" + UUID.randomUUID()), 404, "event_not_found");
    assertError(get("/proof/inclusion?id=" + history.leaves.get(3).event().id() + "&size=39"), 404,
        "checkpoint_not_found");
    assert422(get("/proof/inclusion"), "query", "id");
    assert422(get("/proof/inclusion?id=not-a-uuid"), "query", "id");
    for (String malformed : MALFORMED) {
      assert422(get("/proof/inclusion?id=" + history.leaves.get(3).event().id() + "&size=" + malformed), "query",
          "size");
    }
  }

  @Test
  void consistencyRejectsMalformedAndReversedSizes() throws Exception {
    assert422(get("/proof/consistency?from=41&to=40"), "query", "from");
    assert422(get("/proof/consistency?from=261"), "query", "from");
    assert422(get("/proof/consistency?from=1&to=300"), "query", "to");
    assert422(get("/proof/consistency"), "query", "from");
    assertError(get("/proof/consistency?from=1&to=100"), 404, "checkpoint_not_found");
    for (String malformed : MALFORMED) {
      assert422(get("/proof/consistency?from=" + malformed), "query", "from");
      assert422(get("/proof/consistency?from=1&to=" + malformed), "query", "to");
    }
    JsonNode proof = json(get("/proof/consistency?from=40&to=260"), 200);
    Proofs.verifyConsistency(40, 260, history.root(40), history.root(260), hashes(proof.path("hashes")));
  }

  @Test
  void tilesAndBundlesServeExactlyWhatTheLatestCheckpointCovers() throws Exception {
    HttpResponse<byte[]> full = bytes("/tile/0/000");
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(full.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
    assertThat(full.body()).hasSize(256 * 32);
    for (int i = 0; i < 256; i++) {
      assertThat(Arrays.copyOfRange(full.body(), i * 32, i * 32 + 32)).isEqualTo(history.leaves.get(i).leafHash());
    }
    HttpResponse<byte[]> partial = bytes("/tile/0/001.p/4");
    assertThat(partial.statusCode()).isEqualTo(200);
    assertThat(Arrays.copyOfRange(partial.body(), 96, 128)).isEqualTo(history.leaves.get(259).leafHash());
    assertThat(partial.body()).hasSize(4 * 32);
    byte[] upper = bytes("/tile/1/000.p/1").body();
    assertThat(upper).isEqualTo(Proofs.root(256, (level, index) -> subtree(level, index)));
    // Stored, but beyond the latest checkpoint (260): the worker has appended 300 leaves.
    for (String beyond : new String[] {"/tile/0/001.p/5", "/tile/0/001", "/tile/1/000.p/2", "/tile/1/000",
        "/tile/2/000.p/1", "/tile/0/002.p/1", "/tile/entries/001.p/5", "/tile/entries/001", "/tile/63/000.p/1"}) {
      assertError(get(beyond), 404, "tile_not_found");
    }

    HttpResponse<byte[]> bundle = bytes("/tile/entries/000");
    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.headers().firstValue("Content-Encoding")).isEmpty();
    assertBundle(bundle.body(), 0, 256);
    HttpResponse<byte[]> gzipped = bytes("/tile/entries/001.p/4", "Accept-Encoding", "gzip");
    assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gzipped.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
    assertBundle(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes(), 256, 4);
    assertThat(bytes("/tile/entries/001.p/4", "Accept-Encoding", "gzip;q=0").headers()
        .firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void malformedTileCoordinatesAre422() throws Exception {
    for (String malformed : MALFORMED) {
      assert422(get("/tile/" + malformed + "/000"), "path", "L");
      assert422(get("/tile/0/000.p/" + malformed), "path", "W");
    }
    assert422(get("/tile/64/000"), "path", "L");
    assert422(get("/tile/0/000.p/256"), "path", "W");
    assert422(get("/tile/0/000.p/0"), "path", "W");
    for (String index : new String[] {"0", "00", "0000", "x000/000", "x001/x234", "001/234", "x1/000", "-01",
        "x018/x446/x744/x073/x709/x551/616", "abc", "000/"}) {
      assert422(get("/tile/0/" + index), "path", "N");
      assert422(get("/tile/entries/" + index), "path", "N");
    }
    assertError(get("/tile/0/x001/x234/067"), 404, "tile_not_found");
    for (String uncanonical : new String[] {"/tile/0//000", "/tile//0/000", "/tile/entries//000", "/tile/0/./000",
        "/tile/1/../0/000"}) {
      assertError(get(uncanonical), 404, "tile_not_found");
    }
  }

  @Test
  void callersWithAViewSeeNoTilesBundlesOrExportsAndNoEventOutsideTheirView() throws Exception {
    for (String path : new String[] {"/tile/0/000", "/tile/entries/000", "/export", "/tile/0/x", "/export?size=x"}) {
      assertError(service.get("/audit/" + history.tenant + path, history.tenant, "method = GET"), 403,
          "view_restricted");
    }
    HistoryTenant.Leaf get = history.leaves.stream().filter(l -> l.event().event().method().equals("GET"))
        .findFirst().orElseThrow();
    HistoryTenant.Leaf post = history.leaves.stream().filter(l -> l.event().event().method().equals("POST")
        && l.seq() < 260).findFirst().orElseThrow();
    JsonNode visible = json(service.get("/audit/" + history.tenant + "/proof/inclusion?id=" + get.event().id(),
        history.tenant, "method = GET"), 200);
    Proofs.verifyInclusion(get.seq(), 260, get.leafHash(), hashes(visible.path("hashes")), history.root(260));
    assertError(service.get("/audit/" + history.tenant + "/proof/inclusion?id=" + post.event().id(),
        history.tenant, "method = GET"), 404, "event_not_found");
    assertThat(service.get("/audit/" + history.tenant + "/checkpoint", history.tenant, "method = GET")
        .statusCode()).isEqualTo(200);
  }

  @Test
  void anotherTenantsHistoryIs404AndPathsOutsideTheTenantPatternAreNotHistory() throws Exception {
    HistoryTenant other = HistoryTenant.create();
    for (String path : new String[] {"/checkpoint", "/checkpoints/40", "/keys", "/tile/0/000", "/export",
        "/proof/consistency?from=1", "/proof/inclusion?id=" + history.leaves.get(0).event().id()}) {
      assertError(service.get("/audit/" + history.tenant + path, other.tenant), 404, "not_found");
    }
    assertThat(service.get("/audit/0" + history.tenant + "/checkpoint", "0" + history.tenant).statusCode())
        .isEqualTo(404);
    assertThat(service.get("/audit/" + history.tenant + "/checkpoint", null).statusCode()).isEqualTo(401);
  }

  @Test
  void theHistorySwitchedOffAnswers404TlogDisabledEverywhere() throws Exception {
    try (TestQueryService off = new TestQueryService(HistorySettings.off())) {
      for (String path : new String[] {"/checkpoint", "/checkpoints/40", "/keys", "/tile/0/000",
          "/tile/entries/000", "/export", "/proof/consistency?from=1", "/proof/inclusion?id=x"}) {
        assertError(off.get("/audit/" + history.tenant + path, history.tenant), 404, "tlog_disabled");
      }
    }
  }

  @Test
  void missingTablesMeanTheHistoryWasNeverEnabled() throws Exception {
    history.sql("ALTER TABLE tlog_trees RENAME TO tlog_trees_hidden");
    history.sql("ALTER TABLE tlog_checkpoints RENAME TO tlog_checkpoints_hidden");
    try {
      for (String path : new String[] {"/checkpoint", "/checkpoints/40", "/keys", "/tile/0/000", "/export",
          "/proof/consistency?from=1"}) {
        assertError(get(path), 404, "tlog_disabled");
      }
    } finally {
      history.sql("ALTER TABLE tlog_trees_hidden RENAME TO tlog_trees");
      history.sql("ALTER TABLE tlog_checkpoints_hidden RENAME TO tlog_checkpoints");
    }
  }

  private static void assertBundle(byte[] bundle, int first, int count) {
    assertThat(bundle).hasSize(count * (2 + LeafEntry.SIZE));
    for (int i = 0; i < count; i++) {
      int at = i * (2 + LeafEntry.SIZE);
      assertThat(bundle[at]).isEqualTo((byte) 0);
      assertThat(bundle[at + 1]).isEqualTo((byte) 0x3A);
      byte[] entry = Arrays.copyOfRange(bundle, at + 2, at + 2 + LeafEntry.SIZE);
      assertThat(entry).isEqualTo(history.leaves.get(first + i).entry().bytes());
      assertThat(TreeHash.leaf(entry)).isEqualTo(history.leaves.get(first + i).leafHash());
    }
  }

  private static byte[] subtree(int level, long index) {
    if (level == 0) {
      return history.leaves.get((int) index).leafHash();
    }
    return TreeHash.node(subtree(level - 1, 2 * index), subtree(level - 1, 2 * index + 1));
  }
}
