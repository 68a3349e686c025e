package io.auditlog.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The stack of the §6 range check. Hashes are pushed left to right with their coordinates; whenever the top two are
 * siblings (same level, indices 2k and 2k + 1) they merge into their parent. The root folds the rest from the right.
 * Fed the compact range [0, n) and then leaves n, n + 1, …, the stack holds the compact range [0, m) after leaf
 * m − 1, so the root at any size in between is at hand.
 */
final class RangeStack {

  private record Entry(int level, long index, byte[] hash) {
  }

  private final List<Entry> entries = new ArrayList<>();

  /** Pushes the compact range [from, to), which must have exactly one hash per subtree of the range. */
  void pushRange(String name, long from, long to, List<byte[]> hashes) {
    List<NodeId> nodes = CompactRange.nodes(from, to);
    if (nodes.size() != hashes.size()) {
      throw new VerificationException("the " + name + " range [" + Long.toUnsignedString(from) + ", "
          + Long.toUnsignedString(to) + ") has " + nodes.size() + " hashes, not " + hashes.size());
    }
    for (int i = 0; i < nodes.size(); i++) {
      push(nodes.get(i).level(), nodes.get(i).index(), hashes.get(i));
    }
  }

  void push(int level, long index, byte[] hash) {
    if (hash.length != TreeHash.SIZE) {
      throw new VerificationException("a hash of " + hash.length + " bytes in the range at level " + level
          + ", index " + Long.toUnsignedString(index));
    }
    Entry entry = new Entry(level, index, hash);
    while (!entries.isEmpty() && isLeftSibling(entries.get(entries.size() - 1), entry)) {
      Entry left = entries.remove(entries.size() - 1);
      entry = new Entry(entry.level + 1, left.index >>> 1, TreeHash.node(left.hash, entry.hash));
    }
    entries.add(entry);
  }

  /** The hashes on the stack folded from the right; the empty root when nothing was pushed. */
  byte[] root() {
    List<byte[]> hashes = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      hashes.add(entry.hash);
    }
    return CompactRange.root(hashes);
  }

  private static boolean isLeftSibling(Entry left, Entry right) {
    return left.level == right.level && (left.index & 1) == 0 && right.index == left.index + 1;
  }
}
