package io.auditlog.tlog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The salt of an event that carries none (written straight to the ingress topic, or published before salts existed):
 * the first 16 bytes of HMAC-SHA-256(K, {@code "<topic>/<partition>/<offset>/<stage>"}), so a replay of the record
 * gives it again, and nobody without the service's key K can recompute it.
 */
public final class SaltDerivation {

  private final SecretKeySpec key;

  public SaltDerivation(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the salt key has 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** The salt of the event at {@code stage} of the record at {@code topic}, {@code partition}, {@code offset}. */
  public byte[] of(String topic, int partition, long offset, int stage) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      String coordinates = topic + "/" + partition + "/" + offset + "/" + stage;
      return Arrays.copyOf(mac.doFinal(coordinates.getBytes(StandardCharsets.UTF_8)), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
