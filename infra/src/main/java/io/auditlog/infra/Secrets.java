package io.auditlog.infra;

import java.security.SecureRandom;
import java.util.Base64;

/** Generated passwords and secrets: 288 random bits as URL-safe base64, nothing any config syntax must escape. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {
  }

  public static String generate() {
    byte[] bytes = new byte[36];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
