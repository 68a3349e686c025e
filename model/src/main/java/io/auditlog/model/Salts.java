package io.auditlog.model;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The salts of leaves in a tenant's verifiable history: 16 random bytes per event, drawn where its ids are, so that
 * the hash a leaf commits to reveals nothing of an erased event.
 */
public final class Salts {

  public static final int BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Salts() {
  }

  /** A new salt, in padded base64. */
  public static String draw() {
    byte[] salt = new byte[BYTES];
    RANDOM.nextBytes(salt);
    return Base64.getEncoder().encodeToString(salt);
  }

  /** True for the one padded base64 text of exactly {@value #BYTES} bytes (no stray bits in the last digit). */
  public static boolean isSalt(String text) {
    if (text.length() != 24 || !text.endsWith("==")) {
      return false;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      return bytes.length == BYTES && Base64.getEncoder().encodeToString(bytes).equals(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
