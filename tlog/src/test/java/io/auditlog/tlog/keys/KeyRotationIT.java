package io.auditlog.tlog.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.Secrets;
import io.auditlog.tlog.sign.CheckpointSigner;
import io.auditlog.tlog.sign.StoredNotes;
import io.auditlog.tlog.sign.StoredNotes.Note;
import io.auditlog.tlog.sign.TestPostgres;
import io.auditlog.tlog.sign.TestTree;
import io.auditlog.verify.VerificationException;
import io.auditlog.verify.VerifierKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyRotationIT {

  private static final String SECRET = Secrets.generate();
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final long TENANT = 42;
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

  private static int tool(String secret, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = new TlogKeyTool(postgres.environment(secret), new PrintStream(out, true, StandardCharsets.UTF_8))
        .run(List.of(args));
    System.out.print(out.toString(StandardCharsets.UTF_8));
    return exit;
  }

  /** Grows the tree and returns the note that covers it, signed once the interval allowed. */
  private static Note grownTo(int size) throws Exception {
    new TestTree(TENANT, size).write(postgres.login());
    return notes.await(TENANT, size, WAIT);
  }

  @Test
  void theNewKeySignsAtOnceTheOldOneCoSignsUntilTheOverlapEndsAndBothStayListed() throws Exception {
    TlogSecrets secrets = new TlogKeys(postgres.login(), SECRET).load();
    VerifierKey old = VerifierKey.parse(secrets.signingKeys().get(0).signerFor(TestTree.origin(TENANT)).vkey());
    new TestTree(TENANT, 0).write(postgres.login());
    try (CheckpointSigner signer = new CheckpointSigner(postgres.login(), secrets, INTERVAL, Duration.ofDays(7),
        new SimpleMeterRegistry())) {
      signer.start();
      assertThat(notes.await(TENANT, 0, WAIT).signatures()).isEqualTo(1);

      assertThat(tool(Secrets.generate(), "rotate", "--overlap", "4s")).as("another secret").isEqualTo(1);
      assertThat(tool(SECRET, "rotate", "--overlap", "4s")).isEqualTo(0);
      List<PublishedKey> listed = PublishedKeys.of(postgres.login(), TestTree.origin(TENANT));
      assertThat(listed).hasSize(2);
      VerifierKey current = VerifierKey.parse(listed.get(0).vkey());
      assertThat(listed.get(0).validUntil()).isNull();
      assertThat(listed.get(1).vkey()).isEqualTo(old.vkey());
      assertThat(listed.get(1).validUntil()).isEqualTo(listed.get(0).validFrom().plusSeconds(4));

      Note during = grownTo(10);
      assertThat(during.signatures()).isEqualTo(2);
      assertThat(during.text().substring(during.text().indexOf("\n\n") + 2))
          .as("the new key signs on the first line").startsWith("\u2014 " + current.name() + " " + base64Of(current));
      assertThat(during.openWith(List.of(current)).size()).isEqualTo(10);
      assertThat(during.openWith(List.of(old)).size()).isEqualTo(10);

      Thread.sleep(Duration.between(Instant.now(), listed.get(1).validUntil()).toMillis() + 200);
      Note after = grownTo(20);
      assertThat(after.signatures()).isEqualTo(1);
      assertThat(after.openWith(List.of(current)).size()).isEqualTo(20);
      assertThatThrownBy(() -> after.openWith(List.of(old))).isInstanceOf(VerificationException.class)
          .hasMessage("no signature by a known key");
      assertThat(PublishedKeys.of(postgres.login(), TestTree.origin(TENANT))).hasSize(2);
    }
  }

  /** The start of a signature's base64: the key ID's first 3 bytes, which 4 base64 digits hold exactly. */
  private static String base64Of(VerifierKey key) {
    byte[] id = HexFormat.of().parseHex(key.keyId());
    return Base64.getEncoder().encodeToString(Arrays.copyOf(id, 3));
  }
}
