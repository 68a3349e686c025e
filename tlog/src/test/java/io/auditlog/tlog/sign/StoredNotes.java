package io.auditlog.tlog.sign;

import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.keys.PublishedKey;
import io.auditlog.tlog.keys.PublishedKeys;
import io.auditlog.tlog.keys.TlogKeys;
import io.auditlog.verify.Checkpoint;
import io.auditlog.verify.SignedNote;
import io.auditlog.verify.VerifierKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The checkpoint notes a test finds in {@code tlog_checkpoints}, and waiting for them. */
public final class StoredNotes {

  /** One stored note. */
  public record Note(long size, byte[] root, String text, Instant signedAt) {

    /** The checkpoint inside, once the given keys verify the note. */
    public Checkpoint openWith(List<VerifierKey> keys) {
      return Checkpoint.parse(SignedNote.open(text, keys).body());
    }

    /** How many signature lines the note has. */
    public int signatures() {
      return text.substring(text.indexOf("\n\n") + 2).split("\n").length;
    }
  }

  private final PgLogin login;

  public StoredNotes(PgLogin login) {
    this.login = login;
  }

  /** The tenant's notes, smallest size first. */
  public List<Note> of(long tenant) throws SQLException {
    try (Connection connection = login.connect(); PreparedStatement select = connection.prepareStatement(
        "SELECT size, root, note, signed_at FROM tlog_checkpoints WHERE tenant = ? ORDER BY size")) {
      select.setLong(1, tenant);
      List<Note> notes = new ArrayList<>();
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          notes.add(new Note(result.getLong(1), result.getBytes(2), result.getString(3),
              result.getObject(4, OffsetDateTime.class).toInstant()));
        }
      }
      return notes;
    }
  }

  /** The tenant's note of that size, once it is there; fails after the timeout. */
  public Note await(long tenant, long size, Duration timeout) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Note note : of(tenant)) {
        if (note.size() == size) {
          return note;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no note of size " + size + " for tenant " + tenant + " within " + timeout
            + "; notes of sizes " + of(tenant).stream().map(Note::size).toList());
      }
      Thread.sleep(20);
    }
  }

  /** The vkeys the keys endpoint lists for the tenant's origin. */
  public List<VerifierKey> verifierKeys(long tenant) throws SQLException {
    return PublishedKeys.of(login, TestTree.origin(tenant)).stream()
        .map(PublishedKey::vkey).map(VerifierKey::parse).toList();
  }
}
