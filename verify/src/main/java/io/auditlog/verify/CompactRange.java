package io.auditlog.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Compact ranges (§6 "Left and right"): the range [from, to) of a tree as the roots, left to right, of the largest
 * aligned perfect subtrees taken greedily from {@code from} while they end by {@code to}. The range [0, size) is all
 * a writer needs to append leaves and to compute the root; an export carries [0, from_seq) and [to_seq, tree_size)
 * so that a reader can recompute the root from the leaves in between.
 */
public final class CompactRange {

  private CompactRange() {
  }

  /** The hashes of the range [from, to), read from the tree's perfect subtrees. */
  public static List<byte[]> of(long from, long to, Subtrees tree) {
    List<byte[]> hashes = new ArrayList<>();
    for (NodeId node : nodes(from, to)) {
      hashes.add(tree.hash(node.level(), node.index()));
    }
    return hashes;
  }

  /**
   * Appends one leaf to the tree whose compact range [0, size) is given and returns the range [0, size + 1). The sink
   * receives the leaf (level 0) and every perfect subtree the leaf completes, lowest first.
   */
  public static List<byte[]> append(List<byte[]> rangeOfZeroToSize, long size, byte[] leafHash, NodeSink sink) {
    if (rangeOfZeroToSize.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException("a tree of size " + Long.toUnsignedString(size) + " has "
          + Long.bitCount(size) + " hashes in its compact range, not " + rangeOfZeroToSize.size());
    }
    if (size == -1L) {
      throw new IllegalArgumentException("the tree is full");
    }
    List<byte[]> range = new ArrayList<>(rangeOfZeroToSize);
    byte[] hash = leafHash;
    int level = 0;
    sink.node(level, size, hash);
    while ((size >>> level & 1) == 1) {
      hash = TreeHash.node(range.remove(range.size() - 1), hash);
      level++;
      sink.node(level, size >>> level, hash);
    }
    range.add(hash);
    return range;
  }

  /** The root of the tree whose compact range [0, size) is given: the hashes folded from the right. */
  public static byte[] root(List<byte[]> rangeOfZeroToSize) {
    if (rangeOfZeroToSize.isEmpty()) {
      return TreeHash.empty();
    }
    byte[] root = rangeOfZeroToSize.get(rangeOfZeroToSize.size() - 1);
    for (int i = rangeOfZeroToSize.size() - 2; i >= 0; i--) {
      root = TreeHash.node(rangeOfZeroToSize.get(i), root);
    }
    return root;
  }

  /**
   * The §6 range check: the root of the tree of the given size, computed from the compact range [0, from), the
   * leaf hashes of [from, to) and the compact range [to, size). The caller compares it with the signed root.
   *
   * @throws VerificationException if the sizes are out of order or any list has the wrong number of hashes
   */
  public static byte[] rootOf(long from, long to, long size, List<byte[]> left, List<byte[]> leafHashes,
      List<byte[]> right) {
    if (Long.compareUnsigned(from, to) > 0 || Long.compareUnsigned(to, size) > 0) {
      throw new VerificationException("the range [" + Long.toUnsignedString(from) + ", " + Long.toUnsignedString(to)
          + ") does not fit a tree of size " + Long.toUnsignedString(size));
    }
    if (leafHashes.size() != to - from) {
      throw new VerificationException("the range [" + Long.toUnsignedString(from) + ", " + Long.toUnsignedString(to)
          + ") needs " + Long.toUnsignedString(to - from) + " leaf hashes, not " + leafHashes.size());
    }
    RangeStack stack = new RangeStack();
    stack.pushRange("left", 0, from, left);
    long seq = from;
    for (byte[] leaf : leafHashes) {
      stack.push(0, seq++, leaf);
    }
    stack.pushRange("right", to, size, right);
    return stack.root();
  }

  static List<NodeId> nodes(long from, long to) {
    if (Long.compareUnsigned(from, to) > 0) {
      throw new IllegalArgumentException("the range [" + Long.toUnsignedString(from) + ", "
          + Long.toUnsignedString(to) + ") is reversed");
    }
    List<NodeId> nodes = new ArrayList<>();
    for (long position = from; position != to; ) {
      int level = Math.min(Long.numberOfTrailingZeros(position), 63 - Long.numberOfLeadingZeros(to - position));
      nodes.add(new NodeId(level, position >>> level));
      position += 1L << level;
    }
    return nodes;
  }
}
