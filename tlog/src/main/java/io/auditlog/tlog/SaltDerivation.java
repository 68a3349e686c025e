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
 *
 * <p>Each thread keeps one {@link Mac} initialised with K ({@code doFinal} leaves it ready for the next message):
 * looking one up and keying it for every event cost more than the HMAC itself.
 */
public final class SaltDerivation {

  private final ThreadLocal<Mac> macs;

  public SaltDerivation(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the salt key has 32 bytes");
    }
    SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(() -> keyed(spec));
  }

  /** The salt of the event at {@code stage} of the record at {@code topic}, {@code partition}, {@code offset}. */
  public byte[] of(String topic, int partition, long offset, int stage) {
    String coordinates = topic + "/" + partition + "/" + offset + "/" + stage;
    return Arrays.copyOf(macs.get().doFinal(coordinates.getBytes(StandardCharsets.UTF_8)), 16);
  }

  private static Mac keyed(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
