package io.auditlog.tlog.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the service's stored secrets with AES-256-GCM under a key derived from {@code AUDIT_TLOG_SECRET}.
 *
 * <p>A sealed value is {@code 0x01 ‖ 12-byte random nonce ‖ ciphertext ‖ 16-byte tag}. The caller names what is
 * sealed (its purpose and key id), and that name is authenticated as associated data, so a sealed value copied to
 * another row does not open there.
 *
 * <p>The key is HKDF-SHA256 (RFC 5869) of the secret with the fixed salt {@value #SALT} and info {@value #INFO}.
 * HKDF rather than PBKDF2: the secret must hold 256 random bits (the configuration refuses weaker ones), and
 * stretching protects only guessable passwords, so iterations would cost every start without adding strength. The
 * fixed salt and info keep this key apart from anything else derived from the same secret. Opening under another
 * secret fails the GCM tag, so a wrong secret is always detected, never turned into a wrong key.
 */
final class Sealer {

  static final String SALT = "io.auditlog.tlog.sealer";
  static final String INFO = "AES-256-GCM key for tlog_keys, v1";
  private static final byte FORMAT = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  /** @throws IllegalArgumentException when the secret is blank */
  Sealer(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("AUDIT_TLOG_SECRET must be set");
    }
    key = new SecretKeySpec(hkdfSha256(SALT.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8),
        INFO.getBytes(StandardCharsets.UTF_8)), "AES");
  }

  /** Seals {@code plain}, bound to {@code name}. */
  byte[] seal(byte[] plain, String name) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, name).doFinal(plain);
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable", e);
    }
  }

  /**
   * Opens what {@link #seal} sealed under the same secret and name.
   *
   * @throws WrongSecretException when the secret differs from the sealing one, or the value or name was altered
   */
  byte[] open(byte[] sealed, String name) {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
      throw new WrongSecretException(name, "it is not a sealed value of this format");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    System.arraycopy(sealed, 1, nonce, 0, NONCE_BYTES);
    try {
      int start = 1 + NONCE_BYTES;
      return cipher(Cipher.DECRYPT_MODE, nonce, name).doFinal(sealed, start, sealed.length - start);
    } catch (AEADBadTagException e) {
      throw new WrongSecretException(name, "AUDIT_TLOG_SECRET differs from the secret it was sealed with, or the "
          + "stored value was altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable", e);
    }
  }

  /** True when both seal under the same key (their secrets are equal). */
  boolean sameKeyAs(Sealer other) {
    return MessageDigest.isEqual(key.getEncoded(), other.key.getEncoded());
  }

  private Cipher cipher(int mode, byte[] nonce, String name) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  /** RFC 5869 HKDF-SHA256 with one block of output: 32 bytes, an AES-256 key. */
  static byte[] hkdfSha256(byte[] salt, byte[] inputKey, byte[] info) {
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(salt, "HmacSHA256"));
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(extract.doFinal(inputKey), "HmacSHA256"));
      expand.update(info);
      return expand.doFinal(new byte[] {1});
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
