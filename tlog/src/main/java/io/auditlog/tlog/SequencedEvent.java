package io.auditlog.tlog;

import io.auditlog.verify.LeafEntry;
import java.util.Base64;
import java.util.UUID;

/**
 * An event to place in its tenant's tree: its {@code id} and {@code timestampNanos} (in the clear in the leaf), its
 * {@code salt} (base64: the event's point carries it), and the {@code commitment} to its salted canonical read shape
 * ({@link LeafEntry#commitment}), made by whoever decoded the event, while it was at hand.
 */
public record SequencedEvent(String id, long timestampNanos, String salt, byte[] commitment) {

  /**
   * The event with its 16-byte salt (its own, or {@link SaltDerivation}'s) and its canonical read shape (RFC 8785).
   *
   * @throws IllegalArgumentException when the salt is not 16 bytes
   */
  public static SequencedEvent of(String id, long timestampNanos, byte[] salt, byte[] canonical) {
    return new SequencedEvent(id, timestampNanos, Base64.getEncoder().encodeToString(salt),
        LeafEntry.commitment(salt, canonical));
  }

  /** The leaf entry the event is placed as. */
  LeafEntry entry() {
    return new LeafEntry(LeafEntry.Kind.EVENT, UUID.fromString(id), timestampNanos, commitment);
  }
}
