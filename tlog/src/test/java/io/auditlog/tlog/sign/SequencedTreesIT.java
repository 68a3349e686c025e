package io.auditlog.tlog.sign;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.Secrets;
import io.auditlog.tlog.SequencedEvent;
import io.auditlog.tlog.SequencedRecord;
import io.auditlog.tlog.Sequencer;
import io.auditlog.tlog.keys.TlogKeys;
import io.auditlog.tlog.keys.TlogSecrets;
import io.auditlog.tlog.sign.StoredNotes.Note;
import io.auditlog.verify.Proofs;
import io.auditlog.verify.TreeHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signer over trees that the real sequencer writes while it signs: every note is a consistent, true root. */
class SequencedTreesIT {

  private static final long TENANT = 7;
  private static final int ENTRY_SIZE = 58;
  private static TestPostgres postgres;
  private static StoredNotes notes;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
    notes = new StoredNotes(postgres.login());
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  private static SequencedRecord record(long offset, int events) {
    List<SequencedEvent> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      UUID id = UUID.randomUUID();
      byte[] document = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
      list.add(SequencedEvent.of(id.toString(), System.currentTimeMillis() * 1_000_000L, new byte[16], document));
    }
    return new SequencedRecord("audit.ingress", 0, offset, false, list);
  }

  /** The leaf hashes of the tenant's entry bundles, in seq order. */
  private static List<byte[]> leaves() throws SQLException {
    List<byte[]> leaves = new ArrayList<>();
    try (Connection connection = postgres.login().connect(); PreparedStatement select = connection.prepareStatement(
        "SELECT entries FROM tlog_bundles WHERE tenant = ? ORDER BY index")) {
      select.setLong(1, TENANT);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          byte[] entries = result.getBytes(1);
          for (int i = 0; i < entries.length; i += ENTRY_SIZE) {
            leaves.add(TreeHash.leaf(Arrays.copyOfRange(entries, i, i + ENTRY_SIZE)));
          }
        }
      }
    }
    return leaves;
  }

  @Test
  void signsWhatTheSequencerAppendsAcrossTileLevels() throws Exception {
    TlogSecrets secrets = new TlogKeys(postgres.login(), Secrets.generate()).load();
    Sequencer sequencer = new Sequencer("audit.example.com");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int size = 0;
    try (CheckpointSigner signer = new CheckpointSigner(postgres.login(), secrets, Duration.ofSeconds(1),
        Duration.ofDays(7), registry); Connection connection = postgres.login().connect()) {
      signer.start();
      for (int offset = 0; size < 70_000; offset++) {
        int events = 1 + offset * 211 % 997;
        sequencer.sequence(connection, TENANT, List.of(record(offset, events)));
        size += events;
        Thread.sleep(offset % 10 == 0 ? 200 : 0);
      }
      notes.await(TENANT, size, Duration.ofSeconds(10));
    }

    assertThat(registry.get("tlog_signer_refusals").counter().count()).isZero();
    TestTree tree = new TestTree(TENANT, leaves());
    List<Note> signed = notes.of(TENANT);
    assertThat(signed.size()).isGreaterThan(2);
    for (int i = 0; i < signed.size(); i++) {
      Note note = signed.get(i);
      assertThat(note.openWith(notes.verifierKeys(TENANT)).root()).isEqualTo(Proofs.root(note.size(), tree));
      if (i > 0) {
        Note previous = signed.get(i - 1);
        Proofs.verifyAppendOnly(previous.size(), note.size(), previous.root(), note.root(),
            Proofs.consistency(previous.size(), note.size(), tree));
      }
    }
  }
}
