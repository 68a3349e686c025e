package io.auditlog.gateway.accounts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The user name and secret of HTTP basic authentication: base64 of {@code name:secret}. */
record BasicCredentials(String name, String secret) {

  /** The pair in {@code encoded} (the header value after {@code Basic }); empty when it is not base64 of a pair. */
  static Optional<BasicCredentials> decode(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? Optional.empty()
        : Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }
}
