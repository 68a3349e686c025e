package io.auditlog.verify;

import java.util.Arrays;

/**
 * A C2SP tlog-checkpoint body without extension lines: the origin, the tree size in decimal and the root in base64,
 * each line ending in LF. It means something only inside a note that a pinned key signed ({@link SignedNote}).
 */
public record Checkpoint(String origin, long size, byte[] root) {

  public Checkpoint {
    NoteText.requireLine("origin", origin);
    if (origin.isEmpty()) {
      throw new IllegalArgumentException("a checkpoint needs an origin");
    }
    if (root.length != TreeHash.SIZE) {
      throw new IllegalArgumentException("a root has " + TreeHash.SIZE + " bytes, not " + root.length);
    }
    root = root.clone();
  }

  /** The three lines, each ending in LF: what the signatures cover. */
  public String body() {
    return origin + "\n" + Long.toUnsignedString(size) + "\n" + PaddedBase64.encode(root) + "\n";
  }

  /**
   * Reads a body of exactly three LF-terminated lines: a non-empty origin, a canonical unsigned size and a padded
   * base64 root of 32 bytes.
   *
   * @throws IllegalArgumentException for anything else, such as extension lines or a CR
   */
  public static Checkpoint parse(String body) {
    if (!body.endsWith("\n")) {
      throw new IllegalArgumentException("a checkpoint ends in LF");
    }
    String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
    if (lines.length != 3) {
      throw new IllegalArgumentException("a checkpoint has 3 lines, not " + lines.length);
    }
    return new Checkpoint(lines[0], UnsignedNumbers.parse(lines[1]), PaddedBase64.decode(lines[2]));
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint checkpoint && origin.equals(checkpoint.origin) && size == checkpoint.size
        && Arrays.equals(root, checkpoint.root);
  }

  @Override
  public int hashCode() {
    return origin.hashCode() * 31 + Long.hashCode(size) * 17 + Arrays.hashCode(root);
  }

  @Override
  public String toString() {
    return body();
  }
}
