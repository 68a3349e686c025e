package io.auditlog.tlog;

import io.auditlog.verify.LeafEntry;
import java.util.Base64;
import java.util.UUID;

/**
 * An event to place in its tenant's tree: its id, its salt (base64: the event's point carries it), and the leaf entry
 * it is placed as (its id and timestamp in the clear, and the commitment to its salted canonical read shape,
 * {@link LeafEntry#commitment}), made by whoever decoded the event, while it was at hand, and checked then.
 */
public final class SequencedEvent {

  private final String id;
  private final String salt;
  private final LeafEntry entry;

  private SequencedEvent(String id, String salt, LeafEntry entry) {
    this.id = id;
    this.salt = salt;
    this.entry = entry;
  }

  /**
   * The event with its 16-byte salt ({@link SaltDerivation}'s) and its canonical read shape (RFC 8785).
   *
   * @throws IllegalArgumentException as {@link #of(String, long, String, byte[])}
   */
  public static SequencedEvent of(String id, long timestampNanos, byte[] salt, byte[] canonical) {
    return of(id, timestampNanos, Base64.getEncoder().encodeToString(salt), salt, canonical);
  }

  /**
   * The event with its salt as it brought it (16 bytes in padded base64, as the event codec checked it with
   * {@code Salts.isSalt}; its point keeps the text as it is) and its canonical read shape (RFC 8785).
   *
   * @throws IllegalArgumentException when the id is not a UUID in its canonical form (the leaf holds the UUID's
   *     bytes, and the event is found, erased and republished by its id as written), the timestamp is before 1970
   *     or the salt is not 16 bytes of base64
   */
  public static SequencedEvent of(String id, long timestampNanos, String salt, byte[] canonical) {
    return of(id, timestampNanos, salt, Base64.getDecoder().decode(salt), canonical);
  }

  /** {@code saltText} is {@code salt} in padded base64. */
  private static SequencedEvent of(String id, long timestampNanos, String saltText, byte[] salt, byte[] canonical) {
    UUID uuid = UUID.fromString(id);
    if (!uuid.toString().equals(id)) {
      throw new IllegalArgumentException("an event's id is not a UUID in its canonical form (lower-case 8-4-4-4-12)");
    }
    return new SequencedEvent(id, saltText, LeafEntry.event(uuid, timestampNanos, salt, canonical));
  }

  public String id() {
    return id;
  }

  public long timestampNanos() {
    return entry.timestampNanos();
  }

  public String salt() {
    return salt;
  }

  /** SHA-256(salt ‖ canonical read shape). */
  public byte[] commitment() {
    return entry.commitment().clone();
  }

  /** The leaf entry the event is placed as. */
  LeafEntry entry() {
    return entry;
  }
}
