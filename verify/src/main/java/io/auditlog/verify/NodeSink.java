package io.auditlog.verify;

/**
 * Receives every perfect subtree that an append completes, so that a store can keep the hashes that proofs and tiles
 * are later built from.
 */
@FunctionalInterface
public interface NodeSink {

  /** The root of the 2^level leaves starting at leaf {@code index << level}; level 0 is the leaf itself. */
  void node(int level, long index, byte[] hash);
}
