package io.auditlog.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 word for word, recursive over the list of leaf hashes: the yardstick for
 * the iterative code built from perfect subtrees.
 */
final class ReferenceTree {

  private final List<byte[]> leaves;

  ReferenceTree(List<byte[]> leaves) {
    this.leaves = leaves;
  }

  byte[] root() {
    return mth(0, leaves.size());
  }

  /** PATH(m, D[n]). */
  List<byte[]> path(int m) {
    return path(m, 0, leaves.size());
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
  List<byte[]> proof(int m) {
    return subproof(m, 0, leaves.size(), true);
  }

  private byte[] mth(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return TreeHash.empty();
    }
    if (n == 1) {
      return leaves.get(from);
    }
    int k = largestPowerOfTwoBelow(n);
    return TreeHash.node(mth(from, from + k), mth(from + k, to));
  }

  private List<byte[]> path(int m, int from, int to) {
    int n = to - from;
    List<byte[]> path = new ArrayList<>();
    if (n == 1) {
      return path;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path.addAll(path(m, from, from + k));
      path.add(mth(from + k, to));
    } else {
      path.addAll(path(m - k, from + k, to));
      path.add(mth(from, from + k));
    }
    return path;
  }

  private List<byte[]> subproof(int m, int from, int to, boolean complete) {
    int n = to - from;
    List<byte[]> proof = new ArrayList<>();
    if (m == n) {
      if (!complete) {
        proof.add(mth(from, to));
      }
      return proof;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      proof.addAll(subproof(m, from, from + k, complete));
      proof.add(mth(from + k, to));
    } else {
      proof.addAll(subproof(m - k, from + k, to, false));
      proof.add(mth(from, from + k));
    }
    return proof;
  }

  private static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }
}
