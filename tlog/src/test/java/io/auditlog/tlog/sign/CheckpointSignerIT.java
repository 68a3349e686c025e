package io.auditlog.tlog.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.Secrets;
import io.auditlog.tlog.keys.TlogKeys;
import io.auditlog.tlog.keys.TlogSecrets;
import io.auditlog.tlog.sign.StoredNotes.Note;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.SignerKey;
import io.auditlog.verify.TreeHash;
import io.auditlog.verify.VerificationException;
import io.auditlog.verify.VerifierKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckpointSignerIT {

  private static final String SECRET = Secrets.generate();
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static TestPostgres postgres;
  private static StoredNotes notes;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<CheckpointSigner> signers = new ArrayList<>();
  private TlogSecrets secrets;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
    notes = new StoredNotes(postgres.login());
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @BeforeEach
  void loadKeys() throws SQLException {
    postgres.clear();
    secrets = new TlogKeys(postgres.login(), SECRET).load();
  }

  @AfterEach
  void stopSigners() {
    signers.forEach(CheckpointSigner::close);
  }

  private CheckpointSigner started(TlogSecrets keys) {
    CheckpointSigner signer = new CheckpointSigner(postgres.login(), keys, INTERVAL, Duration.ofDays(7), registry);
    signers.add(signer);
    signer.start();
    return signer;
  }

  private double refusals() {
    return registry.get("tlog_signer_refusals").counter().count();
  }

  private static List<Long> sizes(long tenant) throws SQLException {
    return notes.of(tenant).stream().map(Note::size).toList();
  }

  private static Optional<String> halted(long tenant) throws SQLException {
    try (Connection connection = postgres.login().connect();
        PreparedStatement select = connection.prepareStatement("SELECT halted FROM tlog_trees WHERE tenant = ?")) {
      select.setLong(1, tenant);
      try (ResultSet result = select.executeQuery()) {
        result.next();
        return Optional.ofNullable(result.getString(1));
      }
    }
  }

  private static String awaitHalted(long tenant) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (halted(tenant).isEmpty()) {
      assertThat(System.nanoTime()).as("tenant %d halted within %s", tenant, WAIT).isLessThan(deadline);
      Thread.sleep(20);
    }
    return halted(tenant).get();
  }

  /** Flips one bit of one hash of a stored tile. */
  private static void corrupt(long tenant, int level, long index, int hash) throws SQLException {
    postgres.execute("UPDATE tlog_tiles SET hashes = set_byte(hashes, " + hash * 32 + ", get_byte(hashes, "
        + hash * 32 + ") # 1) WHERE tenant = " + tenant + " AND level = " + level + " AND index = " + index);
  }

  @Test
  void signsSizeZeroWhenATreeIsCreated() throws Exception {
    new TestTree(1, 0).write(postgres.login());
    started(secrets);

    Note note = notes.await(1, 0, WAIT);

    assertThat(note.openWith(notes.verifierKeys(1)))
        .isEqualTo(new Checkpoint(TestTree.origin(1), 0, TreeHash.empty()));
    assertThat(note.text()).startsWith(TestTree.origin(1) + "\n0\n" + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n"
        + "\u2014 " + TestTree.origin(1) + " ").endsWith("\n").doesNotContain("\r");
    assertThat(note.signatures()).isEqualTo(1);
    Thread.sleep(2 * INTERVAL.toMillis());
    assertThat(sizes(1)).containsExactly(0L);
  }

  @Test
  void itsNotesIgnoreUnknownSignaturesAndOpenOnlyAsWritten() throws Exception {
    new TestTree(10, 0).write(postgres.login());
    started(secrets);
    String note = notes.await(10, 0, WAIT).text();
    List<VerifierKey> known = notes.verifierKeys(10);
    String body = SignedNote.bodyOf(note);
    String stranger = SignedNote.sign(body, List.of(SignerKey.generate(TestTree.origin(10))));
    String signature = note.substring(note.lastIndexOf(' ') + 1, note.length() - 1);
    char flipped = signature.charAt(20) == 'A' ? 'B' : 'A';

    assertThat(SignedNote.open(note + stranger.substring(body.length() + 1), known).body()).isEqualTo(body);
    for (String altered : List.of(note.replace("\u2014 ", "- "), note.substring(0, note.length() - 1),
        note.replaceFirst("\n", "\r\n"), note.substring(0, note.length() - 2) + "\n",
        note.replace(signature, signature.substring(0, 20) + flipped + signature.substring(21)))) {
      assertThatThrownBy(() -> SignedNote.open(altered, known)).isInstanceOf(VerificationException.class);
    }
  }

  @Test
  void signsAGrowingTreeAtMostOncePerIntervalAndNotAtAllWhenUnchanged() throws Exception {
    new TestTree(2, 0).write(postgres.login());
    started(secrets);
    notes.await(2, 0, WAIT);

    int size = 0;
    for (long end = System.nanoTime() + Duration.ofMillis(3500).toNanos(); System.nanoTime() < end; ) {
      size += 37;
      new TestTree(2, size).write(postgres.login());
      Thread.sleep(50);
    }
    notes.await(2, size, WAIT);

    List<Note> signed = notes.of(2);
    assertThat(signed.size()).as("notes while growing for 3.5 s, one per second at most").isBetween(3, 6);
    TestTree tree = new TestTree(2, size);
    for (int i = 1; i < signed.size(); i++) {
      Note previous = signed.get(i - 1);
      Note next = signed.get(i);
      assertThat(Duration.between(previous.signedAt(), next.signedAt())).isGreaterThanOrEqualTo(INTERVAL);
      Checkpoint checkpoint = next.openWith(notes.verifierKeys(2));
      assertThat(checkpoint.root()).isEqualTo(new TestTree(2, (int) next.size()).root()).isEqualTo(next.root());
      Proofs.verifyAppendOnly(previous.size(), next.size(), previous.root(), next.root(),
          Proofs.consistency(previous.size(), next.size(), tree));
    }
    Thread.sleep(2500);
    assertThat(notes.of(2)).hasSameSizeAs(signed);
  }

  @Test
  void noticesGrowthWithin200Milliseconds() throws Exception {
    new TestTree(3, 5).write(postgres.login());
    started(secrets);
    notes.await(3, 5, WAIT);
    Thread.sleep(INTERVAL.toMillis() + 100);

    new TestTree(3, 9).write(postgres.login());
    Note note = notes.await(3, 9, WAIT);

    Instant grown;
    try (Connection connection = postgres.login().connect();
        ResultSet result = connection.createStatement().executeQuery(
            "SELECT updated_at FROM tlog_trees WHERE tenant = 3")) {
      result.next();
      grown = result.getObject(1, OffsetDateTime.class).toInstant();
    }
    assertThat(Duration.between(grown, note.signedAt())).as("from the growth's commit to the signing transaction")
        .isLessThan(Duration.ofMillis(300));
  }

  @Test
  void refusesATreeWhoseConsistencyProofFailsAfterATileWasCorrupted() throws Exception {
    new TestTree(4, 300).write(postgres.login());
    new TestTree(5, 10).write(postgres.login());
    started(secrets);
    notes.await(4, 300, WAIT);
    notes.await(5, 10, WAIT);
    signers.remove(0).close();
    new TestTree(4, 600).write(postgres.login());
    corrupt(4, 0, 1, 300 - 256);
    new TestTree(5, 20).write(postgres.login());

    started(secrets);

    assertThat(awaitHalted(4)).startsWith("checkpoint refused after size 300: ").contains("consistency proof");
    notes.await(5, 20, WAIT);
    Thread.sleep(2 * INTERVAL.toMillis());
    assertThat(sizes(4)).containsExactly(0L, 300L);
    assertThat(refusals()).isEqualTo(1);

    new TestTree(4, 600).write(postgres.login());
    postgres.execute("UPDATE tlog_trees SET halted = NULL WHERE tenant = 4");
    notes.await(4, 600, WAIT).openWith(notes.verifierKeys(4));
    assertThat(refusals()).isEqualTo(1);
  }

  @Test
  void refusesATreeRowWhoseRootIsNotTheRootOfItsTiles() throws Exception {
    new TestTree(6, 100).write(postgres.login());
    started(secrets);
    notes.await(6, 100, WAIT);
    signers.remove(0).close();
    new TestTree(6, 150).write(postgres.login());
    corrupt(6, 0, 0, 120);

    started(secrets);

    assertThat(awaitHalted(6)).isEqualTo("checkpoint refused after size 100: the tree row's root is not the root of "
        + "its stored tiles");
    assertThat(refusals()).isEqualTo(1);
    Thread.sleep(2 * INTERVAL.toMillis());
    assertThat(sizes(6)).containsExactly(0L, 100L);
  }

  @Test
  void refusesAnotherHistoryAndATreeThatShrank() throws Exception {
    new TestTree(7, 100).write(postgres.login());
    new TestTree(8, 100).write(postgres.login());
    started(secrets);
    notes.await(7, 100, WAIT);
    notes.await(8, 100, WAIT);

    new TestTree(7, 150, 1).write(postgres.login());
    postgres.execute("UPDATE tlog_trees SET size = 99 WHERE tenant = 8");

    assertThat(awaitHalted(7)).contains("consistency proof");
    assertThat(awaitHalted(8)).contains("99 leaves, fewer than its checkpoint of size 100");
    assertThat(refusals()).isEqualTo(2);
    assertThat(sizes(7)).containsExactly(0L, 100L);
    assertThat(sizes(8)).containsExactly(0L, 100L);
  }

  @Test
  void refusesATreeRowWhoseOriginNamesAnotherTenantOrIsNotTheOneSignedBefore() throws Exception {
    new TestTree(11, 100).write(postgres.login());
    new TestTree(12, 100).write(postgres.login());
    started(secrets);
    notes.await(11, 100, WAIT);
    notes.await(12, 100, WAIT);

    postgres.execute("UPDATE tlog_trees SET origin = '" + TestTree.origin(2) + "' WHERE tenant = 11");
    postgres.execute("UPDATE tlog_trees SET origin = 'elsewhere.example/audit/12' WHERE tenant = 12");
    new TestTree(11, 150).write(postgres.login());
    new TestTree(12, 150).write(postgres.login());

    assertThat(awaitHalted(11)).isEqualTo("the tree row's origin " + TestTree.origin(2) + " does not name tenant 11");
    assertThat(awaitHalted(12)).isEqualTo("the tree row's origin elsewhere.example/audit/12 is not the origin signed "
        + "before, " + TestTree.origin(12));
    Thread.sleep(2 * INTERVAL.toMillis());
    assertThat(sizes(11)).containsExactly(0L, 100L);
    assertThat(sizes(12)).containsExactly(0L, 100L);
    assertThat(notes.of(2)).isEmpty();
  }

  @Test
  void refusesToSignWithAKeyThatIsNotTheRegisteredOneAndMakesNone() throws Exception {
    postgres.execute("DELETE FROM tlog_keys");
    TlogSecrets registered = new TlogKeys(postgres.login(), SECRET).load();
    new TestTree(9, 3).write(postgres.login());

    started(secrets);
    Thread.sleep(3 * INTERVAL.toMillis());

    assertThat(sizes(9)).isEmpty();
    assertThat(refusals()).isEqualTo(1);
    assertThat(halted(9)).isEmpty();
    try (Connection connection = postgres.login().connect()) {
      assertThat(TlogKeys.registered(connection)).extracting(key -> key.id())
          .containsExactly(registered.signingKeys().get(0).id());
    }
  }

  private static void insertNote(long tenant, long size, String signedAt) throws SQLException {
    postgres.execute("INSERT INTO tlog_checkpoints (tenant, size, root, note, signed_at) VALUES (" + tenant + ", "
        + size + ", '\\x" + "00".repeat(32) + "', '" + TestTree.origin(tenant) + "\nnote', " + signedAt + ")");
  }

  @Test
  void keepsEveryNoteForTheRetentionThenTheFirstOfEachUtcHourAndTheLatest() throws Exception {
    String hour = "date_trunc('hour', now() - interval '8 days', 'UTC')";
    insertNote(20, 1, hour + " + interval '5 minutes'");
    insertNote(20, 2, hour + " + interval '20 minutes'");
    insertNote(20, 3, hour + " + interval '40 minutes'");
    insertNote(20, 4, hour + " + interval '70 minutes'");
    insertNote(20, 5, hour + " + interval '135 minutes'");
    insertNote(20, 6, hour + " + interval '165 minutes'");
    insertNote(21, 1, hour + " + interval '5 minutes'");
    insertNote(21, 2, hour + " + interval '6 minutes'");
    insertNote(21, 3, "now() - interval '1 day'");
    insertNote(21, 4, "now() - interval '1 day' + interval '1 second'");

    started(secrets);

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (sizes(20).size() > 4 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sizes(20)).containsExactly(1L, 4L, 5L, 6L);
    assertThat(sizes(21)).containsExactly(1L, 3L, 4L);
  }

  @Test
  void prunesALatestNotePastRetentionOnceANewNoteSupersedesIt() throws Exception {
    String hour = "date_trunc('hour', now() - interval '8 days', 'UTC')";
    TestTree tree = new TestTree(22, 5);
    tree.write(postgres.login());
    insertNote(22, 0, hour + " + interval '5 minutes'");
    postgres.execute("INSERT INTO tlog_checkpoints (tenant, size, root, note, signed_at) VALUES (22, 5, '\\x"
        + HexFormat.of().formatHex(tree.root()) + "', '" + TestTree.origin(22) + "\nnote', " + hour
        + " + interval '30 minutes')");
    started(secrets);
    Thread.sleep(INTERVAL.toMillis());
    assertThat(sizes(22)).containsExactly(0L, 5L);

    new TestTree(22, 8).write(postgres.login());
    notes.await(22, 8, WAIT);

    assertThat(sizes(22)).containsExactly(0L, 8L);
  }
}
