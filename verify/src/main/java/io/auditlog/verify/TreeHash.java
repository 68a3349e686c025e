package io.auditlog.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RFC 9162 §2.1.1 hashing with SHA-256: leaves and nodes are domain-separated by a prefix byte. */
public final class TreeHash {

  public static final int SIZE = 32;
  /** Never updated: each digest is a copy of it, cheaper than a provider lookup per hash. */
  private static final MessageDigest PROTOTYPE = lookUp();

  private TreeHash() {
  }

  /** SHA-256 of the empty string: the root of the empty tree. */
  public static byte[] empty() {
    return sha256().digest();
  }

  /** SHA-256(0x00 ‖ entry). */
  public static byte[] leaf(byte[] entry) {
    MessageDigest digest = sha256();
    digest.update((byte) 0);
    return digest.digest(entry);
  }

  /** SHA-256(0x01 ‖ left ‖ right). */
  public static byte[] node(byte[] left, byte[] right) {
    MessageDigest digest = sha256();
    digest.update((byte) 1);
    digest.update(left);
    return digest.digest(right);
  }

  /** A new digest per call: {@link MessageDigest} is not thread-safe. */
  public static MessageDigest sha256() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp();
    }
  }

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
