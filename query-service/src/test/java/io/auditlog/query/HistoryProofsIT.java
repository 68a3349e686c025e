package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.Json;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.TreeHash;
import io.auditlog.verify.VerificationException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * For every tree size from 1 to 64 (each a signed checkpoint of a history the worker's sequencer built), every
 * inclusion and consistency proof the service serves verifies with the {@code verify} module against the root of the
 * verified note, and every mutation of it fails.
 */
class HistoryProofsIT {

  private static final int SIZES = 64;
  private static TestQueryService service;
  private static HistoryTenant history;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
    history = HistoryTenant.create();
    for (int size = 1; size <= SIZES; size++) {
      history.append(1);
      history.sign(size);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  @Test
  void everyInclusionProofOfSizesUpTo64VerifiesAndEveryMutationFails() throws Exception {
    for (int size = 1; size <= SIZES; size++) {
      byte[] root = verifiedRoot(size);
      for (int seq = 0; seq < size; seq++) {
        HistoryTenant.Leaf leaf = history.leaves.get(seq);
        JsonNode proof = json(service.get("/audit/" + history.tenant + "/proof/inclusion?id=" + leaf.event().id()
            + "&size=" + size, history.tenant), 200);
        assertThat(proof.path("status").asText()).isEqualTo("present");
        assertThat(proof.path("kind").asText()).isEqualTo("event");
        assertThat(proof.path("seq").asLong()).isEqualTo(seq);
        assertThat(proof.path("tree_size").asLong()).isEqualTo(size);
        assertThat(proof.path("salt").asText()).isEqualTo(leaf.salt());
        assertThat(decode(proof.path("entry").asText())).isEqualTo(leaf.entry().bytes());
        assertThat(decode(proof.path("leaf_hash").asText())).isEqualTo(leaf.leafHash());
        assertThat(openedRoot(proof.path("checkpoint").asText())).isEqualTo(root);
        List<byte[]> hashes = hashes(proof.path("hashes"));
        Proofs.verifyInclusion(seq, size, leaf.leafHash(), hashes, root);
        assertInclusionMutationsFail(seq, size, leaf.leafHash(), hashes, root);
      }
    }
  }

  @Test
  void everyConsistencyProofOfSizesUpTo64VerifiesAndEveryMutationFails() throws Exception {
    for (int to = 1; to <= SIZES; to++) {
      byte[] toRoot = verifiedRoot(to);
      for (int from = 0; from <= to; from++) {
        JsonNode proof = json(service.get("/audit/" + history.tenant + "/proof/consistency?from=" + from + "&to="
            + to, history.tenant), 200);
        assertThat(proof.path("from").asLong()).isEqualTo(from);
        assertThat(proof.path("to").asLong()).isEqualTo(to);
        assertThat(openedRoot(proof.path("checkpoint").asText())).isEqualTo(toRoot);
        List<byte[]> hashes = hashes(proof.path("hashes"));
        byte[] fromRoot = from == 0 ? TreeHash.empty() : history.root(from);
        Proofs.verifyAppendOnly(from, to, fromRoot, toRoot, hashes);
        if (from == 0 || from == to) {
          assertThat(hashes).isEmpty();
        } else {
          assertConsistencyMutationsFail(from, to, fromRoot, toRoot, hashes);
        }
      }
    }
  }

  @Test
  void theDefaultSizesAreTheLatestCheckpoint() throws Exception {
    HistoryTenant.Leaf leaf = history.leaves.get(7);
    JsonNode proof = json(service.get("/audit/" + history.tenant + "/proof/inclusion?id=" + leaf.event().id(),
        history.tenant), 200);
    assertThat(proof.path("tree_size").asLong()).isEqualTo(SIZES);
    Proofs.verifyInclusion(7, SIZES, leaf.leafHash(), hashes(proof.path("hashes")), verifiedRoot(SIZES));
    JsonNode consistency = json(service.get("/audit/" + history.tenant + "/proof/consistency?from=5",
        history.tenant), 200);
    assertThat(consistency.path("to").asLong()).isEqualTo(SIZES);
    Proofs.verifyConsistency(5, SIZES, history.root(5), verifiedRoot(SIZES), hashes(consistency.path("hashes")));
  }

  private static void assertInclusionMutationsFail(long seq, long size, byte[] leafHash, List<byte[]> hashes,
      byte[] root) {
    for (List<byte[]> mutated : mutations(hashes)) {
      assertThatThrownBy(() -> Proofs.verifyInclusion(seq, size, leafHash, mutated, root))
          .isInstanceOf(VerificationException.class);
    }
    byte[] otherLeaf = flipped(leafHash, 0);
    assertThatThrownBy(() -> Proofs.verifyInclusion(seq, size, otherLeaf, hashes, root))
        .isInstanceOf(VerificationException.class);
    if (size > 1) {
      long wrongSeq = seq == 0 ? 1 : seq - 1;
      assertThatThrownBy(() -> Proofs.verifyInclusion(wrongSeq, size, leafHash, hashes, root))
          .isInstanceOf(VerificationException.class);
    }
    assertThatThrownBy(() -> Proofs.verifyInclusion(size, size, leafHash, hashes, root))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> Proofs.verifyInclusion(-1L, size, leafHash, hashes, root))
        .isInstanceOf(VerificationException.class);
  }

  private static void assertConsistencyMutationsFail(long from, long to, byte[] fromRoot, byte[] toRoot,
      List<byte[]> hashes) {
    for (List<byte[]> mutated : mutations(hashes)) {
      assertThatThrownBy(() -> Proofs.verifyConsistency(from, to, fromRoot, toRoot, mutated))
          .isInstanceOf(VerificationException.class);
    }
    assertThatThrownBy(() -> Proofs.verifyConsistency(from, to, toRoot, fromRoot, hashes))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> Proofs.verifyConsistency(from, to, flipped(fromRoot, 31), toRoot, hashes))
        .isInstanceOf(VerificationException.class);
  }

  /** Each hash with a flipped bit, a hash added, the last hash dropped. */
  private static List<List<byte[]>> mutations(List<byte[]> hashes) {
    List<List<byte[]>> mutations = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      List<byte[]> flipped = new ArrayList<>(hashes);
      flipped.set(i, flipped(hashes.get(i), i % 32));
      mutations.add(flipped);
    }
    List<byte[]> added = new ArrayList<>(hashes);
    added.add(new byte[32]);
    mutations.add(added);
    if (!hashes.isEmpty()) {
      mutations.add(hashes.subList(0, hashes.size() - 1));
    }
    return mutations;
  }

  private static byte[] flipped(byte[] hash, int index) {
    byte[] copy = hash.clone();
    copy[index] ^= 1;
    return copy;
  }

  /** The root of the stored checkpoint of this size, from its note verified with the signing key. */
  private static byte[] verifiedRoot(long size) throws Exception {
    HttpResponse<String> note = service.get("/audit/" + history.tenant + "/checkpoints/" + size, history.tenant);
    assertThat(note.statusCode()).as(note.body()).isEqualTo(200);
    Checkpoint checkpoint = Checkpoint.parse(SignedNote.open(note.body(), List.of(history.key.verifierKey())).body());
    assertThat(checkpoint.size()).isEqualTo(size);
    assertThat(checkpoint.origin()).isEqualTo(history.origin);
    return checkpoint.root();
  }

  private static byte[] openedRoot(String note) {
    return Checkpoint.parse(SignedNote.open(note, List.of(history.key.verifierKey())).body()).root();
  }

  static JsonNode json(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return Json.parseBody(response.body().getBytes(StandardCharsets.UTF_8));
  }

  static List<byte[]> hashes(JsonNode array) {
    List<byte[]> hashes = new ArrayList<>();
    array.forEach(hash -> hashes.add(decode(hash.asText())));
    return hashes;
  }

  static byte[] decode(String base64) {
    return Base64.getDecoder().decode(base64);
  }
}
