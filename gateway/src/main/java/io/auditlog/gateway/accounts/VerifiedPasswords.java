package io.auditlog.gateway.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Passwords that were checked against an account's Argon2id hash a short while ago, so that a script sending HTTP
 * basic credentials with every request pays the hash once, not per request (as realm caches in directory-backed
 * services do). An entry is an HMAC-SHA256 of account id and password, under a key that lives only in this
 * process's memory, mapped to the hash the password was checked against: after a password change or reset the stored
 * hash differs, so the old password is checked in full again (and fails) and the new one is checked once. Wrong
 * passwords are never remembered.
 */
public final class VerifiedPasswords {

  private final SecretKeySpec key;
  private final Cache<String, String> verified;

  public VerifiedPasswords(Duration ttl) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.verified = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
  }

  /** True when this password was found to match exactly this stored hash within the time to live. */
  public boolean confirms(Account account, String password) {
    String hash = verified.getIfPresent(entry(account, password));
    return hash != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.UTF_8),
        account.passwordHash().getBytes(StandardCharsets.UTF_8));
  }

  /** Records that the password matched the account's current hash. */
  public void remember(Account account, String password) {
    verified.put(entry(account, password), account.passwordHash());
  }

  private String entry(Account account, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(Long.toString(account.id()).getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
