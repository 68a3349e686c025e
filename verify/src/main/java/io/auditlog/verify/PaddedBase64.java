package io.auditlog.verify;

import java.util.Base64;

/**
 * Standard base64 with padding (RFC 4648 §4), read strictly. The JDK's decoder accepts missing padding and stray
 * trailing bits, so text is only accepted if it is exactly what the encoder writes for the decoded bytes.
 */
final class PaddedBase64 {

  private PaddedBase64() {
  }

  static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes canonical padded base64.
   *
   * @throws IllegalArgumentException for anything else
   */
  static byte[] decode(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not base64: " + e.getMessage());
    }
    if (!encode(bytes).equals(text)) {
      throw new IllegalArgumentException("not padded canonical base64: \"" + text + "\"");
    }
    return bytes;
  }
}
