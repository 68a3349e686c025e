package io.auditlog.tlog.sign;

import io.auditlog.tlog.keys.RegisteredKey;
import io.auditlog.tlog.keys.SigningKeyPair;
import io.auditlog.tlog.keys.TlogKeys;
import io.auditlog.tlog.keys.TlogSecrets;
import io.auditlog.tlog.keys.WrongSecretException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys the signer signs with: its configured secrets, checked against {@code tlog_keys} before each round that
 * signs. When the registered active key is one the secrets hold, it signs with every registered key valid now,
 * newest first. When a rotation has replaced the configured key (still registered, no longer active), it reloads the
 * secrets. Otherwise (its key is not registered at all) it refuses to sign, and it never makes a key itself.
 */
final class SignerKeys {

  private static final Logger LOG = LoggerFactory.getLogger(SignerKeys.class);

  private final Runnable countRefusal;
  private TlogSecrets secrets;
  private boolean refusing;

  SignerKeys(TlogSecrets secrets, Runnable countRefusal) {
    this.secrets = secrets;
    this.countRefusal = countRefusal;
  }

  /** The key pairs to sign with now, newest first; empty while the signer refuses. */
  List<SigningKeyPair> current(Connection connection) throws SQLException {
    List<RegisteredKey> registered = TlogKeys.registered(connection);
    Optional<RegisteredKey> active = registered.stream().filter(RegisteredKey::active).findFirst();
    if (active.isEmpty()) {
      return refuse("tlog_keys has no active signing key");
    }
    if (held(active.get()).isEmpty() && registered.stream().anyMatch(key -> held(key).isPresent())) {
      try {
        secrets = secrets.reload();
        LOG.info("the signing key was rotated: {} signs first now", active.get().id());
      } catch (WrongSecretException e) {
        return refuse(e.getMessage());
      }
    }
    if (held(active.get()).isEmpty()) {
      return refuse("the configured signing keys " + secrets.signingKeys() + " are not registered in tlog_keys, "
          + "whose active key is " + active.get().id());
    }
    if (refusing) {
      LOG.info("signing again with the registered key {}", active.get().id());
      refusing = false;
    }
    return registered.stream().filter(RegisteredKey::validNow).map(this::held).flatMap(Optional::stream).toList();
  }

  private Optional<SigningKeyPair> held(RegisteredKey key) {
    return secrets.signingKey(key.id()).filter(pair -> Arrays.equals(pair.publicKey(), key.publicKey()));
  }

  private List<SigningKeyPair> refuse(String reason) {
    if (!refusing) {
      LOG.error("refusing to sign checkpoints: {}", reason);
      countRefusal.run();
      refusing = true;
    }
    return List.of();
  }
}
