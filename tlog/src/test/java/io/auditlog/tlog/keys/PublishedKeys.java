package io.auditlog.tlog.keys;

import io.auditlog.tlog.PgLogin;
import io.auditlog.verify.VerifierKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The registered signing keys as the keys endpoint lists them for an origin, newest first. */
public final class PublishedKeys {

  private PublishedKeys() {
  }

  public static List<PublishedKey> of(PgLogin login, String origin) throws SQLException {
    try (Connection connection = login.connect()) {
      return TlogKeys.registered(connection).stream()
          .map(key -> {
            VerifierKey verifier = VerifierKey.of(origin, key.publicKey());
            return new PublishedKey(verifier.vkey(), verifier.keyId(), PublishedKey.ED25519, key.validFrom(),
                key.validUntil());
          })
          .toList();
    }
  }
}
