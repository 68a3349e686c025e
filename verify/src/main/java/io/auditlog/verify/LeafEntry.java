package io.auditlog.verify;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The 58-byte leaf input, version 1 (§2): version, kind, the id's 16 bytes, the timestamp in nanoseconds since the
 * Unix epoch (big-endian) and the commitment SHA-256(salt ‖ JCS of the document). The id and time stay in the clear
 * so that an erased leaf still tells what was there and when.
 */
public record LeafEntry(Kind kind, UUID id, long timestampNanos, byte[] commitment) {

  public static final int SIZE = 58;
  public static final int SALT_SIZE = 16;
  private static final byte VERSION = 1;

  /** What a leaf stands for. */
  public enum Kind {
    EVENT(1), ERASURE(2);

    private final byte code;

    Kind(int code) {
      this.code = (byte) code;
    }

    public byte code() {
      return code;
    }

    static Kind of(byte code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown leaf kind " + code);
    }
  }

  public LeafEntry {
    if (kind == null || id == null) {
      throw new IllegalArgumentException("a leaf entry needs a kind and an id");
    }
    if (timestampNanos < 0) {
      throw new IllegalArgumentException("a leaf entry's timestamp is before 1970: " + timestampNanos);
    }
    if (commitment.length != TreeHash.SIZE) {
      throw new IllegalArgumentException("a commitment has " + TreeHash.SIZE + " bytes, not " + commitment.length);
    }
    commitment = commitment.clone();
  }

  /** The entry of an event: its id, its timestamp and the commitment to its salted canonical JSON. */
  public static LeafEntry event(UUID id, long timestampNanos, byte[] salt, byte[] canonicalJson) {
    return new LeafEntry(Kind.EVENT, id, timestampNanos, commitment(salt, canonicalJson));
  }

  /** The entry of an erasure record: its id, its timestamp and the commitment to its salted canonical JSON. */
  public static LeafEntry erasure(UUID id, long timestampNanos, byte[] salt, byte[] canonicalJson) {
    return new LeafEntry(Kind.ERASURE, id, timestampNanos, commitment(salt, canonicalJson));
  }

  /** SHA-256(salt ‖ canonical JSON), the salt being 16 bytes. */
  public static byte[] commitment(byte[] salt, byte[] canonicalJson) {
    if (salt.length != SALT_SIZE) {
      throw new IllegalArgumentException("a salt has " + SALT_SIZE + " bytes, not " + salt.length);
    }
    return TreeHash.concatenated(salt, canonicalJson);
  }

  /** Reads a version-1 entry, rejecting any other length, version or kind and a negative timestamp. */
  public static LeafEntry parse(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("a leaf entry has " + SIZE + " bytes, not " + bytes.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte version = buffer.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown leaf entry version " + version);
    }
    Kind kind = Kind.of(buffer.get());
    UUID id = new UUID(buffer.getLong(), buffer.getLong());
    long timestampNanos = buffer.getLong();
    byte[] commitment = new byte[TreeHash.SIZE];
    buffer.get(commitment);
    return new LeafEntry(kind, id, timestampNanos, commitment);
  }

  /** The 58 bytes of the entry. */
  public byte[] bytes() {
    return ByteBuffer.allocate(SIZE)
        .put(VERSION)
        .put(kind.code)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .putLong(timestampNanos)
        .put(commitment)
        .array();
  }

  /** The tree's leaf hash of this entry. */
  public byte[] leafHash() {
    return TreeHash.leaf(bytes());
  }

  @Override
  public byte[] commitment() {
    return commitment.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LeafEntry entry && kind == entry.kind && id.equals(entry.id)
        && timestampNanos == entry.timestampNanos && Arrays.equals(commitment, entry.commitment);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes());
  }

  @Override
  public String toString() {
    return "LeafEntry[" + kind + " " + id + " at " + timestampNanos + "ns, commitment "
        + HexFormat.of().formatHex(commitment) + "]";
  }
}
