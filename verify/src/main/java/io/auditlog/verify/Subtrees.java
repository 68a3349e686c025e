package io.auditlog.verify;

/**
 * The roots of a tree's perfect subtrees: {@code hash(level, index)} is the root of the 2^level leaves that start at
 * leaf {@code index << level}. Proofs and ranges are built from these, whatever stores them.
 */
@FunctionalInterface
public interface Subtrees {
  byte[] hash(int level, long index);
}
