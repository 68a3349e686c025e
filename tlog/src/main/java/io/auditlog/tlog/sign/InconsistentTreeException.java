package io.auditlog.tlog.sign;

/**
 * A tenant's stored tree contradicts itself or its checkpoints: a tile is missing or too short, or the tree row's
 * root is not the root of the stored tiles.
 */
public final class InconsistentTreeException extends RuntimeException {

  public InconsistentTreeException(String message) {
    super(message);
  }
}
