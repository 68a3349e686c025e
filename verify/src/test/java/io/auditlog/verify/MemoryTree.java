package io.auditlog.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A tree held in memory the way the service stores one: every completed perfect subtree, kept by the append. */
final class MemoryTree implements Subtrees {

  private final Map<NodeId, byte[]> nodes = new HashMap<>();
  private List<byte[]> range = new ArrayList<>();
  private long size;

  static MemoryTree ofLeafHashes(List<byte[]> leafHashes) {
    MemoryTree tree = new MemoryTree();
    leafHashes.forEach(tree::append);
    return tree;
  }

  void append(byte[] leafHash) {
    range = CompactRange.append(range, size, leafHash, (level, index, hash) -> {
      if (nodes.put(new NodeId(level, index), hash) != null) {
        throw new AssertionError("node " + level + "/" + index + " completed twice");
      }
    });
    size++;
  }

  long size() {
    return size;
  }

  byte[] root() {
    return CompactRange.root(range);
  }

  @Override
  public byte[] hash(int level, long index) {
    byte[] hash = nodes.get(new NodeId(level, index));
    if (hash == null) {
      throw new AssertionError("node " + level + "/" + index + " is not a complete subtree of size " + size);
    }
    return hash;
  }
}
