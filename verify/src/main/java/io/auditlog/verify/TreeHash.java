package io.auditlog.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/** RFC 9162 §2.1.1 hashing with SHA-256: leaves and nodes are domain-separated by a prefix byte. */
public final class TreeHash {

  public static final int SIZE = 32;
  /** Never updated: each digest is a copy of it, cheaper than a provider lookup per hash. */
  private static final MessageDigest PROTOTYPE = lookUp();
  /**
   * One digest per thread for the hashes made here, each of which leaves it reset ({@link MessageDigest#digest} does):
   * a batch's leaves need a few hashes each, and a copy of the prototype for each was most of their garbage.
   */
  private static final ThreadLocal<MessageDigest> OWN = ThreadLocal.withInitial(TreeHash::sha256);

  private TreeHash() {
  }

  /** SHA-256 of the empty string: the root of the empty tree. */
  public static byte[] empty() {
    return sha256().digest();
  }

  /** SHA-256(0x00 ‖ entry). */
  public static byte[] leaf(byte[] entry) {
    Objects.requireNonNull(entry);
    MessageDigest digest = OWN.get();
    digest.update((byte) 0);
    return digest.digest(entry);
  }

  /** SHA-256(0x01 ‖ left ‖ right). */
  public static byte[] node(byte[] left, byte[] right) {
    requireBoth(left, right);
    MessageDigest digest = OWN.get();
    digest.update((byte) 1);
    digest.update(left);
    return digest.digest(right);
  }

  /** SHA-256(first ‖ second). */
  public static byte[] concatenated(byte[] first, byte[] second) {
    requireBoth(first, second);
    MessageDigest digest = OWN.get();
    digest.update(first);
    return digest.digest(second);
  }

  /** A new digest per call: {@link MessageDigest} is not thread-safe. */
  public static MessageDigest sha256() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp();
    }
  }

  /** Checked before the thread's digest is touched, so that no hash is left half made in it. */
  private static void requireBoth(byte[] first, byte[] second) {
    Objects.requireNonNull(first);
    Objects.requireNonNull(second);
  }

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
