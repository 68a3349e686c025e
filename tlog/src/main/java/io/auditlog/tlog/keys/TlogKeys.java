package io.auditlog.tlog.keys;

import io.auditlog.tlog.PgLogin;
import io.auditlog.verify.SignerKey;
import io.auditlog.verify.TreeHash;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The service's keys in {@code tlog_keys}: one Ed25519 signing key pair at a time (older ones co-sign until their
 * rotation overlap ends) and K, the salt derivation key, each private half sealed ({@link Sealer}) under
 * {@code AUDIT_TLOG_SECRET}. The first {@link #load()} generates both; every later one unseals them. Generation and
 * rotation hold a transaction-level advisory lock, so workers starting at once end up with one key per purpose,
 * and the unique index on active keys stands behind it. Blocking (JDBC).
 *
 * <p>A row's key id is {@code ed25519:} and the first 8 bytes of SHA-256(public key) in hex, or {@code salt:} and 8
 * random bytes in hex; the note key ID differs per origin, so it cannot name the pair here.
 */
public final class TlogKeys {

  /** The transaction-level advisory lock of key generation and rotation: "tlogkeys" in ASCII. */
  static final long LOCK_KEY = 0x746c6f676b657973L;
  static final String SIGNING = "ed25519";
  static final String SALT = "salt";
  private static final int SALT_KEY_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * Valid at this instant: the clock, not the transaction's start (a worker that waited for the key lock began its
   * transaction before the key it then reads was made).
   */
  private static final String VALID_NOW =
      "(valid_from <= clock_timestamp() AND (valid_until IS NULL OR valid_until > clock_timestamp()))";

  /** A row of {@code tlog_keys}. */
  private record StoredKey(String id, String purpose, byte[] publicKey, byte[] sealed, Instant validFrom,
      Instant validUntil, boolean active, boolean validNow) {
  }

  private final PgLogin login;
  private final Sealer sealer;

  /** @throws IllegalArgumentException when the secret is blank */
  public TlogKeys(PgLogin login, String secret) {
    this.login = login;
    this.sealer = new Sealer(secret);
  }

  /**
   * The keys valid now and K, generated and stored first if there are none.
   *
   * @throws WrongSecretException when the secret does not open the stored keys
   */
  public TlogSecrets load() throws SQLException {
    List<StoredKey> rows;
    try (Connection connection = login.connect()) {
      connection.setAutoCommit(false);
      lock(connection);
      rows = rows(connection);
      if (rows.stream().noneMatch(row -> row.purpose().equals(SIGNING))) {
        insertSigningKey(connection);
      }
      if (rows.stream().noneMatch(row -> row.purpose().equals(SALT))) {
        insertSaltKey(connection);
      }
      rows = rows(connection);
      connection.commit();
    }
    StoredKey salt = rows.stream().filter(row -> row.purpose().equals(SALT) && row.active()).findFirst()
        .orElseThrow(() -> new IllegalStateException("tlog_keys holds no active salt key"));
    if (rows.stream().noneMatch(row -> row.purpose().equals(SIGNING) && row.active())) {
      throw new IllegalStateException("tlog_keys holds signing keys but none is active");
    }
    List<SigningKeyPair> signing = new ArrayList<>();
    for (StoredKey row : rows) {
      if (row.purpose().equals(SIGNING) && row.validNow()) {
        signing.add(unsealSigningKey(row));
      }
    }
    return new TlogSecrets(this, signing, sealer.open(salt.sealed(), sealedName(salt.purpose(), salt.id())));
  }

  /**
   * Makes a new signing key the active one, which signs at once; every older key stays valid (co-signing) until
   * {@code overlap} from now at the latest, and stays listed. The stored keys are unsealed first, so a wrong secret
   * never seals a key the workers cannot open. Returns the new key's id.
   *
   * @throws WrongSecretException when the secret does not open the stored keys
   */
  public String rotate(Duration overlap) throws SQLException {
    if (overlap.isNegative()) {
      throw new IllegalArgumentException("the overlap cannot be negative: " + overlap);
    }
    try (Connection connection = login.connect()) {
      connection.setAutoCommit(false);
      lock(connection);
      for (StoredKey row : rows(connection)) {
        if (row.active() || row.validNow()) {
          sealer.open(row.sealed(), sealedName(row.purpose(), row.id()));
        }
      }
      try (PreparedStatement end = connection.prepareStatement("UPDATE tlog_keys SET active = FALSE, "
          + "valid_until = LEAST(COALESCE(valid_until, 'infinity'), now() + make_interval(secs => ?)) "
          + "WHERE purpose = '" + SIGNING + "' AND (active OR valid_until IS NULL OR valid_until > now())")) {
        end.setDouble(1, overlap.toMillis() / 1000.0);
        end.executeUpdate();
      }
      String id = insertSigningKey(connection);
      connection.commit();
      return id;
    }
  }

  /**
   * Seals every stored key (signing keys, ended ones too, and K) again under {@code newSecret}, in one transaction:
   * each is opened with this secret first, so a wrong one changes nothing. Afterwards only the new secret opens them;
   * every service must then run with it. Returns how many keys were sealed again.
   *
   * @throws WrongSecretException when this secret does not open every stored key
   * @throws IllegalArgumentException when the new secret is blank or this one
   */
  public int reseal(String newSecret) throws SQLException {
    Sealer next = new Sealer(newSecret);
    if (next.sameKeyAs(sealer)) {
      throw new IllegalArgumentException("the new secret is the one the keys are sealed with");
    }
    try (Connection connection = login.connect()) {
      connection.setAutoCommit(false);
      lock(connection);
      List<StoredKey> rows = rows(connection);
      try (PreparedStatement update = connection.prepareStatement("UPDATE tlog_keys SET sealed = ? WHERE key_id = ?")) {
        for (StoredKey row : rows) {
          String name = sealedName(row.purpose(), row.id());
          byte[] plain = sealer.open(row.sealed(), name);
          try {
            update.setBytes(1, next.seal(plain, name));
          } finally {
            Arrays.fill(plain, (byte) 0);
          }
          update.setString(2, row.id());
          update.addBatch();
        }
        update.executeBatch();
      }
      connection.commit();
      return rows.size();
    }
  }

  /** Every signing key ever registered, newest first, with its validity by the database's clock. */
  public static List<RegisteredKey> registered(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT key_id, public_key, valid_from, "
        + "valid_until, active, " + VALID_NOW + " FROM tlog_keys WHERE purpose = ? ORDER BY valid_from DESC, key_id")) {
      select.setString(1, SIGNING);
      List<RegisteredKey> keys = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          keys.add(new RegisteredKey(result.getString(1), result.getBytes(2), instant(result, 3),
              instant(result, 4), result.getBoolean(5), result.getBoolean(6)));
        }
      }
      return keys;
    }
  }

  private static void lock(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
    }
  }

  private static List<StoredKey> rows(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT key_id, purpose, public_key, sealed, valid_from, "
            + "valid_until, active, " + VALID_NOW + " FROM tlog_keys ORDER BY valid_from DESC, key_id")) {
      List<StoredKey> rows = new ArrayList<>();
      while (result.next()) {
        rows.add(new StoredKey(result.getString(1), result.getString(2), result.getBytes(3), result.getBytes(4),
            instant(result, 5), instant(result, 6), result.getBoolean(7), result.getBoolean(8)));
      }
      return rows;
    }
  }

  /** Generates an Ed25519 pair and stores it as the active signing key; returns its id. */
  private String insertSigningKey(Connection connection) throws SQLException {
    SignerKey key = SignerKey.generate(SIGNING);
    byte[] publicKey = key.publicKey();
    String id = SIGNING + ":" + HexFormat.of().formatHex(Arrays.copyOf(TreeHash.sha256().digest(publicKey), 8));
    insert(connection, id, SIGNING, publicKey, key.seed());
    return id;
  }

  /** Draws K and stores it as the active salt key. */
  private void insertSaltKey(Connection connection) throws SQLException {
    byte[] saltKey = new byte[SALT_KEY_BYTES];
    RANDOM.nextBytes(saltKey);
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    insert(connection, SALT + ":" + HexFormat.of().formatHex(suffix), SALT, null, saltKey);
  }

  private void insert(Connection connection, String id, String purpose, byte[] publicKey, byte[] secret)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tlog_keys (key_id, purpose, public_key, "
        + "sealed, active) VALUES (?, ?, ?, ?, TRUE)")) {
      insert.setString(1, id);
      insert.setString(2, purpose);
      insert.setBytes(3, publicKey);
      insert.setBytes(4, sealer.seal(secret, sealedName(purpose, id)));
      insert.executeUpdate();
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private SigningKeyPair unsealSigningKey(StoredKey row) {
    byte[] seed = sealer.open(row.sealed(), sealedName(row.purpose(), row.id()));
    try {
      if (row.publicKey() == null
          || !Arrays.equals(SignerKey.fromSeed(SIGNING, seed).publicKey(), row.publicKey())) {
        throw new IllegalStateException("the signing key " + row.id() + " in tlog_keys does not match its public key");
      }
      return new SigningKeyPair(row.id(), seed, row.publicKey(), row.validFrom(), row.validUntil());
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** What a sealed value is bound to: its purpose and row, so it opens nowhere else. */
  private static String sealedName(String purpose, String id) {
    return purpose + "/" + id;
  }

  private static Instant instant(ResultSet result, int column) throws SQLException {
    OffsetDateTime time = result.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }
}
