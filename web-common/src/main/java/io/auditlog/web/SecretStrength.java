package io.auditlog.web;

import java.util.Locale;
import java.util.Optional;

/**
 * Judges whether a configured secret can hold 256 bits of randomness, as one written by {@code openssl rand -base64
 * 32} (43 characters or more) or {@code openssl rand -hex 32} (64 hex digits) does. It is a check against secrets
 * typed by hand or left as placeholders, not a proof of randomness: a secret is refused when
 * <ul>
 *   <li>it is a placeholder: it contains "changeme" once everything but letters is removed, whatever the case;</li>
 *   <li>its length times log2 of its alphabet is under 256 bits, the alphabet being 16 when every character is a hex
 *       digit, else the sum of the classes it uses: 10 digits, 26 lower-case, 26 upper-case, 33 other characters
 *       (so 43 characters of base64 pass, 64 hex digits pass, 40 characters of letters and digits do not);</li>
 *   <li>it repeats itself: one character makes up more than a third of it, or it is a shorter block written
 *       over and over. (A quarter refused about 4 in a million {@code openssl rand -hex 32} secrets; a third refuses
 *       about 3 in ten billion.)</li>
 * </ul>
 */
public final class SecretStrength {

  static final int BITS = 256;

  private SecretStrength() {
  }

  /** Why {@code secret} is not acceptable, or empty when it is. */
  public static Optional<String> problem(String secret) {
    if (secret.isEmpty()) {
      return Optional.of("must be set");
    }
    if (secret.replaceAll("[^\\p{L}]", "").toLowerCase(Locale.ROOT).contains("changeme")) {
      return Optional.of("is a placeholder");
    }
    if (estimatedBits(secret) < BITS) {
      return Optional.of("holds less than " + BITS + " bits of randomness (use 43 or more base64 characters or "
          + "64 hex digits, e.g. openssl rand -base64 36)");
    }
    if (repetitive(secret)) {
      return Optional.of("repeats itself");
    }
    return Optional.empty();
  }

  static double estimatedBits(String secret) {
    return secret.length() * Math.log(alphabet(secret)) / Math.log(2);
  }

  private static int alphabet(String secret) {
    if (secret.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
      return 16;
    }
    int size = 0;
    size += secret.chars().anyMatch(c -> c >= '0' && c <= '9') ? 10 : 0;
    size += secret.chars().anyMatch(c -> c >= 'a' && c <= 'z') ? 26 : 0;
    size += secret.chars().anyMatch(c -> c >= 'A' && c <= 'Z') ? 26 : 0;
    size += secret.chars().anyMatch(c -> !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z')
        && !(c >= 'A' && c <= 'Z')) ? 33 : 0;
    return size;
  }

  private static boolean repetitive(String secret) {
    int length = secret.length();
    boolean dominated = secret.chars().distinct()
        .anyMatch(c -> secret.chars().filter(d -> d == c).count() * 3 > length);
    if (dominated) {
      return true;
    }
    for (int period = 1; period <= length / 2; period++) {
      if (secret.regionMatches(0, secret, period, length - period)) {
        return true;
      }
    }
    return false;
  }
}
