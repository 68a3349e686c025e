package io.auditlog.tlog.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.Secrets;
import io.auditlog.tlog.sign.TestPostgres;
import io.auditlog.verify.SignerKey;
import io.auditlog.verify.VerifierKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TlogKeysIT {

  private static final String SECRET = Secrets.generate();
  private static final String ORIGIN = "audit.example.com/audit/42";
  private static TestPostgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @BeforeEach
  void clear() throws SQLException {
    postgres.clear();
  }

  private record Row(String id, String purpose, byte[] publicKey, byte[] sealed, boolean active) {
  }

  private static List<Row> rows() throws SQLException {
    try (Connection connection = postgres.login().connect(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(
            "SELECT key_id, purpose, public_key, sealed, active FROM tlog_keys ORDER BY purpose")) {
      List<Row> rows = new ArrayList<>();
      while (result.next()) {
        rows.add(new Row(result.getString(1), result.getString(2), result.getBytes(3), result.getBytes(4),
            result.getBoolean(5)));
      }
      return rows;
    }
  }

  @Test
  void theFirstLoadStoresOneKeyPerPurposeSealedAndLaterLoadsUnsealThem() throws SQLException {
    TlogSecrets first = new TlogKeys(postgres.login(), SECRET).load();
    TlogSecrets again = new TlogKeys(postgres.login(), SECRET).load();

    List<Row> rows = rows();
    assertThat(rows).extracting(Row::purpose).containsExactly("ed25519", "salt");
    assertThat(rows).allMatch(Row::active);
    SigningKeyPair pair = first.signingKeys().get(0);
    assertThat(first.signingKeys()).hasSize(1);
    assertThat(rows.get(0).id()).isEqualTo(pair.id()).matches("ed25519:[0-9a-f]{16}");
    assertThat(rows.get(0).publicKey()).isEqualTo(pair.publicKey());
    assertThat(again.signingKeys()).extracting(SigningKeyPair::id).containsExactly(pair.id());
    assertThat(again.saltKey()).isEqualTo(first.saltKey()).hasSize(32);
    byte[] seed = pair.signerFor(ORIGIN).seed();
    assertThat(again.signingKeys().get(0).signerFor(ORIGIN).seed()).isEqualTo(seed);
    HexFormat hex = HexFormat.of();
    for (Row row : rows) {
      assertThat(hex.formatHex(row.sealed())).doesNotContain(hex.formatHex(seed))
          .doesNotContain(hex.formatHex(first.saltKey()));
      assertThat(row.publicKey() == null ? "" : hex.formatHex(row.publicKey())).doesNotContain(hex.formatHex(seed));
    }
    assertThat(first.toString()).doesNotContain(hex.formatHex(seed)).contains(pair.id());
  }

  @Test
  void workersStartingAtOnceEndUpWithOneKeyPerPurpose() throws Exception {
    int workers = 6;
    ExecutorService threads = Executors.newFixedThreadPool(workers);
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<TlogSecrets>> loads = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      loads.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
          return new TlogKeys(postgres.login(), SECRET).load();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, threads));
    }
    start.countDown();

    List<TlogSecrets> loaded = new ArrayList<>();
    for (CompletableFuture<TlogSecrets> load : loads) {
      loaded.add(load.get());
    }
    threads.shutdown();
    assertThat(rows()).hasSize(2);
    assertThat(loaded).extracting(secrets -> secrets.signingKeys().get(0).id()).containsOnly(rows().get(0).id());
    assertThat(loaded).extracting(secrets -> hexOf(secrets.saltKey())).containsOnly(hexOf(loaded.get(0).saltKey()));
  }

  @Test
  void anotherSecretFailsClearlyAndStoresNothing() throws SQLException {
    new TlogKeys(postgres.login(), SECRET).load();
    String other = Secrets.generate();

    assertThatThrownBy(() -> new TlogKeys(postgres.login(), other).load())
        .isInstanceOf(WrongSecretException.class)
        .hasMessageContaining("AUDIT_TLOG_SECRET differs from the secret it was sealed with")
        .message().doesNotContain(SECRET).doesNotContain(other);
    assertThatThrownBy(() -> new TlogKeys(postgres.login(), other).rotate(Duration.ZERO))
        .isInstanceOf(WrongSecretException.class);
    assertThat(rows()).hasSize(2);
  }

  @Test
  void resealingMovesEveryKeyToTheNewSecretAtOnceAndAWrongSecretChangesNothing() throws SQLException {
    TlogSecrets before = new TlogKeys(postgres.login(), SECRET).load();
    new TlogKeys(postgres.login(), SECRET).rotate(Duration.ZERO);
    List<Row> sealedBefore = rows();
    String fresh = Secrets.generate();

    assertThatThrownBy(() -> new TlogKeys(postgres.login(), Secrets.generate()).reseal(fresh))
        .isInstanceOf(WrongSecretException.class);
    assertThat(rows()).extracting(Row::sealed).containsExactlyElementsOf(
        sealedBefore.stream().map(Row::sealed).toList());
    assertThatThrownBy(() -> new TlogKeys(postgres.login(), SECRET).reseal(SECRET))
        .isInstanceOf(IllegalArgumentException.class);

    // Three keys: the ended signing key, the active one and K.
    assertThat(new TlogKeys(postgres.login(), SECRET).reseal(fresh)).isEqualTo(3);
    List<Row> sealedAfter = rows();
    for (int i = 0; i < sealedAfter.size(); i++) {
      assertThat(sealedAfter.get(i).sealed()).isNotEqualTo(sealedBefore.get(i).sealed());
    }
    TlogSecrets after = new TlogKeys(postgres.login(), fresh).load();
    assertThat(after.saltKey()).isEqualTo(before.saltKey());
    assertThat(after.signingKeys()).hasSize(1);
    assertThat(after.signingKeys().get(0).id()).isNotEqualTo(before.signingKeys().get(0).id());
    assertThatThrownBy(() -> new TlogKeys(postgres.login(), SECRET).load()).isInstanceOf(WrongSecretException.class);
    // The ended key opens under the new secret too: nothing is left sealed under the old one.
    postgres.execute("UPDATE tlog_keys SET valid_until = NULL WHERE key_id = '" + before.signingKeys().get(0).id()
        + "'");
    assertThat(new TlogKeys(postgres.login(), fresh).load().signingKey(before.signingKeys().get(0).id()))
        .hasValueSatisfying(pair -> assertThat(pair.signerFor(ORIGIN).seed())
            .isEqualTo(before.signingKeys().get(0).signerFor(ORIGIN).seed()));
  }

  @Test
  void aSealedKeyCopiedToAnotherRowDoesNotOpen() throws SQLException {
    new TlogKeys(postgres.login(), SECRET).load();
    postgres.execute("UPDATE tlog_keys SET sealed = (SELECT sealed FROM tlog_keys WHERE purpose = 'ed25519') "
        + "WHERE purpose = 'salt'");

    assertThatThrownBy(() -> new TlogKeys(postgres.login(), SECRET).load()).isInstanceOf(WrongSecretException.class)
        .hasMessageContaining("salt/salt:");
  }

  @Test
  void listsEachSigningKeyForAnOriginAsVerifiersPinIt() throws SQLException {
    TlogSecrets secrets = new TlogKeys(postgres.login(), SECRET).load();
    SignerKey signer = secrets.signingKeys().get(0).signerFor(ORIGIN);

    List<PublishedKey> published = PublishedKeys.of(postgres.login(), ORIGIN);

    assertThat(published).hasSize(1);
    PublishedKey key = published.get(0);
    assertThat(key.vkey()).isEqualTo(signer.vkey()).startsWith(ORIGIN + "+" + key.keyId() + "+");
    assertThat(VerifierKey.parse(key.vkey()).keyId()).isEqualTo(key.keyId()).matches("[0-9a-f]{8}");
    assertThat(key.algorithm()).isEqualTo("ed25519");
    assertThat(key.validFrom()).isNotNull();
    assertThat(key.validUntil()).isNull();
    assertThat(PublishedKeys.of(postgres.login(), "audit.example.com/audit/43").get(0).keyId())
        .as("the key ID depends on the origin").isNotEqualTo(key.keyId());
  }

  /** §10: the Ed25519 seed 00 01 … 1f has this vkey under the origin of tenant 42. */
  @Test
  void listsTheProjectVectorsVkey() throws SQLException {
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) i;
    }
    try (Connection connection = postgres.login().connect();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO tlog_keys (key_id, purpose, public_key, "
            + "sealed, active) VALUES ('ed25519:vector', 'ed25519', ?, '\\x00', TRUE)")) {
      insert.setBytes(1, SignerKey.fromSeed("any", seed).publicKey());
      insert.executeUpdate();
    }

    assertThat(PublishedKeys.of(postgres.login(), ORIGIN)).extracting(PublishedKey::vkey)
        .containsExactly("audit.example.com/audit/42+56a4b7d6+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4");
  }

  private static String hexOf(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
