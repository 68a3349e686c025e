package io.auditlog.verify;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 inclusion and consistency proofs: generation (§2.1.3.1, §2.1.4.1) from the hashes of perfect subtrees
 * only, and verification (§2.1.3.2, §2.1.4.2) with both guards, seq below size first and a remaining size of zero at
 * the end. Sizes and seqs are unsigned 64-bit values throughout.
 */
public final class Proofs {

  private Proofs() {
  }

  /** The root of the tree of the given size. */
  public static byte[] root(long size, Subtrees tree) {
    return CompactRange.root(CompactRange.of(0, size, tree));
  }

  /** The inclusion proof of leaf {@code seq} in the tree of the given size, lowest sibling first. */
  public static List<byte[]> inclusion(long seq, long size, Subtrees tree) {
    if (Long.compareUnsigned(seq, size) >= 0) {
      throw new IllegalArgumentException("seq " + Long.toUnsignedString(seq) + " is not below size "
          + Long.toUnsignedString(size));
    }
    return pathToRoot(0, seq, size, tree);
  }

  /**
   * The consistency proof from the tree of size {@code from} to the tree of size {@code to}: empty when the sizes are
   * equal or {@code from} is zero.
   */
  public static List<byte[]> consistency(long from, long to, Subtrees tree) {
    if (Long.compareUnsigned(from, to) > 0) {
      throw new IllegalArgumentException("from " + Long.toUnsignedString(from) + " is above to "
          + Long.toUnsignedString(to));
    }
    if (from == to || from == 0) {
      return new ArrayList<>();
    }
    // The largest perfect subtree that ends at `from`, then its path to the root of `to`. The subtree itself is left
    // out when it is the whole old tree, whose root the verifier already holds.
    int level = Long.numberOfTrailingZeros(from);
    long index = (from - 1) >>> level;
    List<byte[]> proof = new ArrayList<>();
    if (index != 0) {
      proof.add(tree.hash(level, index));
    }
    proof.addAll(pathToRoot(level, index, to, tree));
    return proof;
  }

  /**
   * Verifies that the leaf hash is leaf {@code seq} of the tree of the given size and root.
   *
   * @throws VerificationException naming what failed
   */
  public static void verifyInclusion(long seq, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    if (Long.compareUnsigned(seq, size) >= 0) {
      throw new VerificationException("seq " + Long.toUnsignedString(seq) + " is not below size "
          + Long.toUnsignedString(size));
    }
    requireHash("leaf hash", leafHash);
    requireHash("root", root);
    requireHashes(proof);
    long fn = seq;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new VerificationException("the inclusion proof is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = TreeHash.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = TreeHash.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new VerificationException("the inclusion proof is too short");
    }
    requireEqual("the inclusion proof leads to another root", r, root);
  }

  /**
   * Verifies that the tree of size {@code to} extends the tree of size {@code from}, as RFC 9162 §2.1.4.2 defines it
   * for 0 < from ≤ to. Size 0 is rejected here, as the public test vectors expect; see {@link #verifyAppendOnly}.
   *
   * @throws VerificationException naming what failed
   */
  public static void verifyConsistency(long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> proof) {
    if (from == 0) {
      throw new VerificationException("there is no consistency proof from size 0");
    }
    if (Long.compareUnsigned(from, to) > 0) {
      throw new VerificationException("from " + Long.toUnsignedString(from) + " is above to "
          + Long.toUnsignedString(to));
    }
    requireHash("old root", fromRoot);
    requireHash("new root", toRoot);
    requireHashes(proof);
    if (from == to) {
      if (!proof.isEmpty()) {
        throw new VerificationException("equal sizes need an empty proof");
      }
      requireEqual("equal sizes with different roots", fromRoot, toRoot);
      return;
    }
    if (proof.isEmpty()) {
      throw new VerificationException("the consistency proof is empty");
    }
    List<byte[]> path = new ArrayList<>(proof);
    if ((from & (from - 1)) == 0) {
      path.add(0, fromRoot);
    }
    long fn = from - 1;
    long sn = to - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new VerificationException("the consistency proof is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = TreeHash.node(c, fr);
        sr = TreeHash.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = TreeHash.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new VerificationException("the consistency proof is too short");
    }
    requireEqual("the consistency proof leads to another old root", fr, fromRoot);
    requireEqual("the consistency proof leads to another new root", sr, toRoot);
  }

  /**
   * {@link #verifyConsistency} as the API and the verifier apply it: the empty tree (size 0, the empty root) is
   * extended by every tree, with an empty proof.
   *
   * @throws VerificationException naming what failed
   */
  public static void verifyAppendOnly(long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> proof) {
    if (from != 0) {
      verifyConsistency(from, to, fromRoot, toRoot, proof);
      return;
    }
    if (!proof.isEmpty()) {
      throw new VerificationException("a consistency proof from size 0 must be empty");
    }
    requireEqual("a tree of size 0 with another root than the empty one", fromRoot, TreeHash.empty());
    requireHash("new root", toRoot);
    if (to == 0) {
      requireEqual("equal sizes with different roots", fromRoot, toRoot);
    }
  }

  /**
   * The siblings on the path from the perfect subtree (level, index) to the root of the tree of the given size,
   * lowest first. A sibling that the size cuts short is the root of its compact range; one wholly beyond the size is
   * skipped.
   */
  private static List<byte[]> pathToRoot(int level, long index, long size, Subtrees tree) {
    List<byte[]> path = new ArrayList<>();
    for (int l = level; l < Long.SIZE && Long.compareUnsigned(1L << l, size) < 0; l++) {
      long sibling = (index >>> (l - level)) ^ 1;
      long start = sibling << l;
      if (Long.compareUnsigned(start, size) >= 0) {
        continue;
      }
      long remaining = size - start;
      long end = Long.compareUnsigned(remaining, 1L << l) > 0 ? start + (1L << l) : size;
      path.add(CompactRange.root(CompactRange.of(start, end, tree)));
    }
    return path;
  }

  private static void requireHashes(List<byte[]> proof) {
    for (int i = 0; i < proof.size(); i++) {
      requireHash("proof hash " + i, proof.get(i));
    }
  }

  private static void requireHash(String name, byte[] hash) {
    if (hash == null || hash.length != TreeHash.SIZE) {
      throw new VerificationException("the " + name + " is not " + TreeHash.SIZE + " bytes");
    }
  }

  private static void requireEqual(String failure, byte[] actual, byte[] expected) {
    if (!MessageDigest.isEqual(actual, expected)) {
      throw new VerificationException(failure);
    }
  }
}
