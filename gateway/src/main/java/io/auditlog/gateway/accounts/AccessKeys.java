package io.auditlog.gateway.accounts;

import io.auditlog.model.AccessKeyHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access keys: random (a UUIDv4, 122 random bits, the seed's format), looked up by SHA-256 hash and kept as an
 * AES-256-GCM sealed copy so that the owner can read the key back while a database dump alone reveals nothing usable.
 */
public final class AccessKeys {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 12;

  private final SecretKeySpec sealingKey;

  public AccessKeys(String secret) {
    this.sealingKey = new SecretKeySpec(sha256(("access-key-sealing:" + secret).getBytes(StandardCharsets.UTF_8)),
        "AES");
  }

  /** A new key with its lookup hash and sealed copy. */
  public record Issued(String key, String hash, String sealed) {
  }

  public Issued issue() {
    String key = UUID.randomUUID().toString();
    return new Issued(key, hash(key), seal(key));
  }

  public static String hash(String key) {
    return AccessKeyHash.of(key);
  }

  /** SHA-256 in hex. */
  public static String hash(byte[] bytes) {
    return AccessKeyHash.sha256Hex(bytes);
  }

  public String unseal(String sealed) {
    try {
      byte[] bytes = Base64.getDecoder().decode(sealed);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, sealingKey, new GCMParameterSpec(128, bytes, 0, NONCE_BYTES));
      return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("an access key cannot be unsealed: was AUDIT_KEY_SECRET changed?", e);
    }
  }

  private String seal(String key) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(128, nonce));
      byte[] sealed = cipher.doFinal(key.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce)
          .put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
