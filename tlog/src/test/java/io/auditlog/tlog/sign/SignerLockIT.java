package io.auditlog.tlog.sign;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.Secrets;
import io.auditlog.tlog.keys.TlogKeys;
import io.auditlog.tlog.keys.TlogSecrets;
import io.auditlog.tlog.sign.StoredNotes.Note;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignerLockIT {

  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration TAKEOVER = Duration.ofSeconds(CheckpointSigner.LOCK_RETRY_SECONDS * 3L);
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

  private static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %s", what, timeout).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void assertOneNotePerInterval(long tenant) throws Exception {
    List<Note> signed = notes.of(tenant);
    for (int i = 1; i < signed.size(); i++) {
      assertThat(Duration.between(signed.get(i - 1).signedAt(), signed.get(i).signedAt()))
          .isGreaterThanOrEqualTo(INTERVAL);
    }
  }

  @Test
  void oneOfTwoRacingSignersSignsAndTheOtherTakesOverWhenTheLockIsLost() throws Exception {
    TlogSecrets secrets = new TlogKeys(postgres.login(), Secrets.generate()).load();
    new TestTree(1, 0).write(postgres.login());
    try (CheckpointSigner first = new CheckpointSigner(postgres.login(), secrets, INTERVAL, Duration.ofDays(7),
        new SimpleMeterRegistry());
        CheckpointSigner second = new CheckpointSigner(postgres.login(), secrets, INTERVAL, Duration.ofDays(7),
            new SimpleMeterRegistry())) {
      first.start();
      second.start();
      notes.await(1, 0, TAKEOVER);
      for (int size = 10; size <= 40; size += 10) {
        new TestTree(1, size).write(postgres.login());
        assertThat(first.holdsLock() ^ second.holdsLock()).as("exactly one holds the lock").isTrue();
        Thread.sleep(400);
      }
      notes.await(1, 40, TAKEOVER);
      assertOneNotePerInterval(1);
      CheckpointSigner holder = first.holdsLock() ? first : second;

      postgres.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
      await("the holder notices that it lost the lock", () -> !holder.holdsLock(), Duration.ofSeconds(1));
      await("a signer holds the lock again", () -> first.holdsLock() || second.holdsLock(), TAKEOVER);
      new TestTree(1, 50).write(postgres.login());
      notes.await(1, 50, TAKEOVER);

      CheckpointSigner current = first.holdsLock() ? first : second;
      CheckpointSigner waiting = current == first ? second : first;
      current.close();
      assertThat(current.holdsLock()).isFalse();
      await("the other signer takes over once the holder closes", waiting::holdsLock, TAKEOVER);
      new TestTree(1, 60).write(postgres.login());
      notes.await(1, 60, TAKEOVER);
      assertOneNotePerInterval(1);
    }
  }
}
