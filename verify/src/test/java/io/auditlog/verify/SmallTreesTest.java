package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Spec §12.2: for sizes 1–64, every inclusion proof and every consistency proof that {@link Proofs} builds from
 * perfect subtrees is the one RFC 9162 defines, verifies, and stops verifying after any one mutation.
 */
class SmallTreesTest {

  private static final int MAX_SIZE = 64;
  private static final long MAX_UNSIGNED = -1L;
  private static final byte[] STRANGER = TreeHash.leaf("stranger".getBytes(StandardCharsets.UTF_8));

  private final List<byte[]> leaves = new ArrayList<>();
  private final MemoryTree tree = new MemoryTree();
  private final List<byte[]> roots = new ArrayList<>();

  SmallTreesTest() {
    roots.add(TreeHash.empty());
    for (int i = 0; i < MAX_SIZE; i++) {
      byte[] leaf = TreeHash.leaf(("leaf " + i).getBytes(StandardCharsets.UTF_8));
      leaves.add(leaf);
      tree.append(leaf);
      roots.add(tree.root());
    }
  }

  @Test
  void everyInclusionProofIsTheRfcOneAndVerifies() {
    for (int size = 1; size <= MAX_SIZE; size++) {
      ReferenceTree reference = new ReferenceTree(leaves.subList(0, size));
      assertThat(Proofs.root(size, tree)).isEqualTo(reference.root()).isEqualTo(roots.get(size));
      for (int seq = 0; seq < size; seq++) {
        List<byte[]> proof = Proofs.inclusion(seq, size, tree);
        assertThat(proof).as("proof of %d in %d", seq, size).containsExactlyElementsOf(reference.path(seq));
        Proofs.verifyInclusion(seq, size, leaves.get(seq), proof, roots.get(size));
      }
    }
  }

  @Test
  void everyMutatedInclusionProofFails() {
    for (int size = 1; size <= MAX_SIZE; size++) {
      byte[] root = roots.get(size);
      for (int seq = 0; seq < size; seq++) {
        long s = seq;
        long n = size;
        byte[] leaf = leaves.get(seq);
        List<byte[]> proof = Proofs.inclusion(seq, size, tree);
        for (int i = 0; i < proof.size(); i++) {
          List<byte[]> flipped = Bytes.withFlippedBit(proof, i, (seq * 31 + i) % 256);
          List<byte[]> dropped = Bytes.withRemoved(proof, i);
          fails(() -> Proofs.verifyInclusion(s, n, leaf, flipped, root));
          fails(() -> Proofs.verifyInclusion(s, n, leaf, dropped, root));
        }
        for (int i = 0; i <= proof.size(); i++) {
          List<byte[]> added = Bytes.withAdded(proof, i, STRANGER);
          fails(() -> Proofs.verifyInclusion(s, n, leaf, added, root));
        }
        byte[] flippedLeaf = Bytes.flipBit(leaf, seq % 256);
        byte[] previousRoot = roots.get(size - 1);
        fails(() -> Proofs.verifyInclusion(s, n, flippedLeaf, proof, root));
        fails(() -> Proofs.verifyInclusion(s, n, leaf, proof, Bytes.flipBit(root, 255)));
        fails(() -> Proofs.verifyInclusion(s, n, leaf, proof, previousRoot));
        if (size > 1) {
          fails(() -> Proofs.verifyInclusion(s, n, root, proof, leaf));
        }
        fails(() -> Proofs.verifyInclusion(n, n, leaf, proof, root));
        fails(() -> Proofs.verifyInclusion(MAX_UNSIGNED, n, leaf, proof, root));
        fails(() -> Proofs.verifyInclusion(s, MAX_UNSIGNED, leaf, proof, root));
        if ((s ^ 1) < n) {
          fails(() -> Proofs.verifyInclusion(s ^ 1, n, leaf, proof, root));
        }
        if (s + 1 < n) {
          fails(() -> Proofs.verifyInclusion(s + 1, n, leaf, proof, root));
        }
      }
    }
  }

  @Test
  void everyConsistencyProofIsTheRfcOneAndVerifies() {
    for (int to = 1; to <= MAX_SIZE; to++) {
      ReferenceTree reference = new ReferenceTree(leaves.subList(0, to));
      for (int from = 1; from <= to; from++) {
        List<byte[]> proof = Proofs.consistency(from, to, tree);
        assertThat(proof).as("proof from %d to %d", from, to).containsExactlyElementsOf(reference.proof(from));
        Proofs.verifyConsistency(from, to, roots.get(from), roots.get(to), proof);
        Proofs.verifyAppendOnly(from, to, roots.get(from), roots.get(to), proof);
      }
    }
  }

  @Test
  void everyMutatedConsistencyProofFails() {
    for (int to = 1; to <= MAX_SIZE; to++) {
      for (int from = 1; from <= to; from++) {
        long m = from;
        long n = to;
        byte[] oldRoot = roots.get(from);
        byte[] newRoot = roots.get(to);
        List<byte[]> proof = Proofs.consistency(from, to, tree);
        for (int i = 0; i < proof.size(); i++) {
          List<byte[]> flipped = Bytes.withFlippedBit(proof, i, (from * 7 + i) % 256);
          List<byte[]> dropped = Bytes.withRemoved(proof, i);
          fails(() -> Proofs.verifyConsistency(m, n, oldRoot, newRoot, flipped));
          fails(() -> Proofs.verifyConsistency(m, n, oldRoot, newRoot, dropped));
        }
        for (int i = 0; i <= proof.size(); i++) {
          List<byte[]> added = Bytes.withAdded(proof, i, STRANGER);
          fails(() -> Proofs.verifyConsistency(m, n, oldRoot, newRoot, added));
        }
        fails(() -> Proofs.verifyConsistency(m, n, Bytes.flipBit(oldRoot, 0), newRoot, proof));
        fails(() -> Proofs.verifyConsistency(m, n, oldRoot, Bytes.flipBit(newRoot, 0), proof));
        fails(() -> Proofs.verifyConsistency(MAX_UNSIGNED, n, oldRoot, newRoot, proof));
        fails(() -> Proofs.verifyConsistency(m, MAX_UNSIGNED, oldRoot, newRoot, proof));
        if (from != to) {
          fails(() -> Proofs.verifyConsistency(m, n, newRoot, oldRoot, proof));
          fails(() -> Proofs.verifyConsistency(n, m, newRoot, oldRoot, proof));
          fails(() -> Proofs.verifyConsistency(m + 1, n, oldRoot, newRoot, proof));
        }
        if (from > 1) {
          fails(() -> Proofs.verifyConsistency(m - 1, n, oldRoot, newRoot, proof));
        }
      }
    }
  }

  @Test
  void sizeZeroIsConsistentWithEveryTreeOnlyAtTheApiLevel() {
    for (int to = 0; to <= MAX_SIZE; to++) {
      long n = to;
      byte[] newRoot = roots.get(to);
      assertThat(Proofs.consistency(0, n, tree)).isEmpty();
      Proofs.verifyAppendOnly(0, n, TreeHash.empty(), newRoot, List.of());
      fails(() -> Proofs.verifyConsistency(0, n, TreeHash.empty(), newRoot, List.of()));
      fails(() -> Proofs.verifyAppendOnly(0, n, TreeHash.empty(), newRoot, List.of(STRANGER)));
      fails(() -> Proofs.verifyAppendOnly(0, n, STRANGER, newRoot, List.of()));
    }
    fails(() -> Proofs.verifyAppendOnly(0, 0, TreeHash.empty(), STRANGER, List.of()));
  }

  @Test
  void sizeZeroHasNoInclusionProof() {
    assertThatThrownBy(() -> Proofs.inclusion(0, 0, tree)).isInstanceOf(IllegalArgumentException.class);
    fails(() -> Proofs.verifyInclusion(0, 0, leaves.get(0), List.of(), TreeHash.empty()));
  }

  @Test
  void sizeOneHasAnEmptyProofAndTheLeafAsRoot() {
    assertThat(Proofs.inclusion(0, 1, tree)).isEmpty();
    assertThat(Proofs.root(1, tree)).isEqualTo(leaves.get(0));
  }

  private static void fails(ThrowingCallable verification) {
    assertThatThrownBy(verification).isInstanceOf(VerificationException.class);
  }
}
