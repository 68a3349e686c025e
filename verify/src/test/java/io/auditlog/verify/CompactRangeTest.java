package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compact ranges: the append that feeds a store, and the range check of spec §6. */
class CompactRangeTest {

  private static final int MAX_SIZE = 40;

  private final List<byte[]> leaves = new ArrayList<>();
  private final MemoryTree tree = new MemoryTree();

  CompactRangeTest() {
    for (int i = 0; i < MAX_SIZE; i++) {
      leaves.add(TreeHash.leaf(("entry " + i).getBytes(StandardCharsets.UTF_8)));
      tree.append(leaves.get(i));
    }
  }

  @Test
  void appendingReportsEveryCompletedSubtreeOnce() {
    List<String> reported = new ArrayList<>();
    List<byte[]> range = new ArrayList<>();
    for (int size = 0; size < 6; size++) {
      range = CompactRange.append(range, size, leaves.get(size), (level, index, hash) -> {
        reported.add(level + "/" + index);
        assertThat(hash).isEqualTo(tree.hash(level, index));
      });
      assertThat(range).hasSize(Long.bitCount(size + 1));
    }
    assertThat(reported).containsExactly("0/0", "0/1", "1/0", "0/2", "0/3", "1/1", "2/0", "0/4", "0/5", "1/2");
  }

  @Test
  void appendingChecksTheRangeAgainstTheSize() {
    assertThatThrownBy(() -> CompactRange.append(List.of(), 1, leaves.get(0), (level, index, hash) -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesAreTheLargestAlignedSubtrees() {
    assertThat(CompactRange.nodes(0, 7)).containsExactly(new NodeId(2, 0), new NodeId(1, 2), new NodeId(0, 6));
    assertThat(CompactRange.nodes(3, 13)).containsExactly(new NodeId(0, 3), new NodeId(2, 1), new NodeId(2, 2),
        new NodeId(0, 12));
    assertThat(CompactRange.nodes(5, 5)).isEmpty();
    assertThat(CompactRange.nodes(0, -1L)).hasSize(64);
    assertThat(CompactRange.nodes(-2L, -1L)).containsExactly(new NodeId(0, -2L));
    assertThat(CompactRange.of(0, 5, tree)).containsExactly(tree.hash(2, 0), tree.hash(0, 4));
  }

  @Test
  void theRangeCheckGivesTheRootForEveryRange() {
    for (int size = 0; size <= MAX_SIZE; size++) {
      byte[] root = Proofs.root(size, tree);
      for (int from = 0; from <= size; from++) {
        for (int to = from; to <= size; to++) {
          List<byte[]> left = CompactRange.of(0, from, tree);
          List<byte[]> right = CompactRange.of(to, size, tree);
          assertThat(CompactRange.rootOf(from, to, size, left, leaves.subList(from, to), right))
              .as("[%d, %d) of %d", from, to, size).isEqualTo(root);
        }
      }
    }
  }

  @Test
  void theRangeCheckRejectsWrongCountsAndLengths() {
    List<byte[]> left = CompactRange.of(0, 5, tree);
    List<byte[]> inner = leaves.subList(5, 9);
    List<byte[]> right = CompactRange.of(9, 23, tree);
    assertThat(CompactRange.rootOf(5, 9, 23, left, inner, right)).isEqualTo(Proofs.root(23, tree));
    List<List<List<byte[]>>> wrong = List.of(
        List.of(Bytes.withRemoved(left, 0), inner, right),
        List.of(Bytes.withAdded(left, 0, leaves.get(0)), inner, right),
        List.of(left, Bytes.withRemoved(inner, 0), right),
        List.of(left, Bytes.withAdded(inner, 4, leaves.get(9)), right),
        List.of(left, inner, Bytes.withRemoved(right, 2)),
        List.of(left, inner, Bytes.withAdded(right, 3, leaves.get(0))),
        List.of(left, inner, List.of(right.get(0), right.get(1), new byte[31])));
    for (int i = 0; i < wrong.size(); i++) {
      List<byte[]> l = wrong.get(i).get(0);
      List<byte[]> m = wrong.get(i).get(1);
      List<byte[]> r = wrong.get(i).get(2);
      assertThatThrownBy(() -> CompactRange.rootOf(5, 9, 23, l, m, r)).as("case %d", i)
          .isInstanceOf(VerificationException.class);
    }
    assertThatThrownBy(() -> CompactRange.rootOf(9, 5, 23, left, inner, right))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> CompactRange.rootOf(5, 9, 8, left, inner, right))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void alteredLeavesChangeTheRoot() {
    List<byte[]> inner = Bytes.withFlippedBit(leaves.subList(5, 9), 2, 100);
    assertThat(CompactRange.rootOf(5, 9, 23, CompactRange.of(0, 5, tree), inner, CompactRange.of(9, 23, tree)))
        .isNotEqualTo(Proofs.root(23, tree));
  }
}
