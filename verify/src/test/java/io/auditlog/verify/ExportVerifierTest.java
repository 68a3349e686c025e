package io.auditlog.verify;

import static io.auditlog.verify.Verdicts.detail;
import static io.auditlog.verify.Verdicts.failedCheck;
import static io.auditlog.verify.Verdicts.replaceInLine;
import static io.auditlog.verify.Verdicts.status;
import static io.auditlog.verify.Verdicts.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier on exports built like the service's (spec §12.8): what passes, what fails, what is unusable. */
class ExportVerifierTest {

  @TempDir
  Path state;

  private final TestLog log = new TestLog(TestLog.key(1)).events(20);

  @Test
  void aValidExportVerifies() {
    VerificationResult result = verifyWithoutPins(log.export().bytes());
    assertThat(result.exitCode()).as(result.text()).isZero();
    assertThat(result.checks()).extracting(CheckResult::name)
        .containsExactly("signature", "lines", "range", "redactions", "pin");
    assertThat(result.checks()).extracting(CheckResult::status).containsExactly(CheckResult.Status.OK,
        CheckResult.Status.OK, CheckResult.Status.OK, CheckResult.Status.OK, CheckResult.Status.SKIPPED);
    assertThat(result.counts()).contains(new VerificationResult.Counts(20, 0, 0));
    assertThat(result.text()).endsWith("RESULT: OK" + System.lineSeparator());
  }

  @Test
  void everyRangeOfEverySizeVerifies() {
    TestLog small = new TestLog(TestLog.key(2)).events(9);
    for (int size = 0; size <= 9; size++) {
      for (int from = 0; from <= size; from++) {
        for (int to = from; to <= size; to++) {
          VerificationResult result = verdict(small, small.export(from, to, size).bytes());
          assertThat(result.exitCode()).as("[%d, %d) of %d: %s", from, to, size, result.text()).isZero();
        }
      }
    }
  }

  @Test
  void gzippedExportsVerify() {
    assertThat(verifyWithoutPins(log.export().gzip()).exitCode()).isZero();
  }

  @Test
  void eventsAreCanonicalizedWhateverTheirSpelling() {
    List<String> lines = log.export().lines();
    String line = lines.get(3);
    String respelled = line.replace("\"latency\":3,", "\"latency\":3.0,").replace("\"cpu_usage\":0.1,",
        "\"cpu_usage\":1e-1,").replace("\"type\":\"event\"", "\"type\" : \"event\" ").replace("ü", "\\u00fc");
    assertThat(respelled).isNotEqualTo(line);
    lines.set(3, respelled);
    assertThat(verifyWithoutPins(TestExport.join(lines)).exitCode()).isZero();
  }

  @Test
  void anAlteredBodyFails() {
    VerificationResult result = verifyWithoutPins(replaceInLine(log.export().lines(), 5, "\"method\":\"POST\"",
        "\"method\":\"GET\""));
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(status(result, "range")).isEqualTo(CheckResult.Status.FAILED);
    assertThat(status(result, "pin")).isEqualTo(CheckResult.Status.SKIPPED);
  }

  @Test
  void anAlteredSaltFails() {
    List<String> lines = log.export().lines();
    String salt = PaddedBase64.encode(log.leaf(4).salt());
    String other = PaddedBase64.encode(Bytes.flipBit(log.leaf(4).salt(), 3));
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 5, salt, other)))).isEqualTo("range");
  }

  @Test
  void anAlteredSeqFails() {
    List<String> lines = log.export().lines();
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 8, "\"seq\":7", "\"seq\":8")))).isEqualTo("lines");
  }

  @Test
  void reorderedLinesFail() {
    List<String> lines = log.export().lines();
    String third = lines.get(3);
    lines.set(3, lines.get(4));
    lines.set(4, third);
    assertThat(failedCheck(verifyWithoutPins(TestExport.join(lines)))).isEqualTo("lines");
    List<String> renumbered = new ArrayList<>(log.export().lines());
    String line3 = renumbered.get(3).replace("\"seq\":2", "\"seq\":3");
    renumbered.set(3, renumbered.get(4).replace("\"seq\":3", "\"seq\":2"));
    renumbered.set(4, line3);
    assertThat(failedCheck(verifyWithoutPins(TestExport.join(renumbered)))).isEqualTo("range");
  }

  @Test
  void anAlteredCheckpointFails() {
    List<String> lines = log.export().lines();
    String note = log.note(20);
    String root = PaddedBase64.encode(log.checkpoint(20).root());
    String otherRoot = PaddedBase64.encode(log.checkpoint(19).root());
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 0, root, otherRoot)))).isEqualTo("signature");
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 0, "\\n20\\n", "\\n19\\n"))))
        .isEqualTo("signature");
    assertThat(note).contains("\u2014");
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 0, "\"tree_size\":20", "\"tree_size\":21"))))
        .isEqualTo("signature");
  }

  @Test
  void anotherKeyFails() {
    TestLog forged = new TestLog(TestLog.key(9)).events(20);
    assertThat(failedCheck(verdict(log, forged.export().bytes()))).isEqualTo("signature");
    VerificationResult otherOrigin = ExportVerifier.withoutPins(List.of(SignerKey.fromSeed("other.example/audit/7",
        Bytes.counting(32)).verifierKey())).verify(new ByteArrayInputStream(log.export().bytes()));
    assertThat(otherOrigin.exitCode()).isEqualTo(1);
  }

  @Test
  void aDroppedLineFails() {
    for (int dropped : new int[] {1, 10, 20, 21}) {
      List<String> lines = log.export().lines();
      lines.remove(dropped);
      assertThat(verifyWithoutPins(TestExport.join(lines)).exitCode()).as("line %d dropped", dropped).isEqualTo(1);
    }
  }

  @Test
  void truncationFails() {
    byte[] export = log.export().bytes();
    List<String> lines = log.export().lines();
    byte[] withoutEnd = TestExport.join(lines.subList(0, lines.size() - 1));
    assertThat(failedCheck(verifyWithoutPins(withoutEnd))).isEqualTo("lines");
    for (int cut : new int[] {export.length - 2, export.length - 5, export.length / 2, withoutEnd.length - 3}) {
      VerificationResult result = verifyWithoutPins(Arrays.copyOf(export, cut));
      assertThat(result.exitCode()).as("cut at %d: %s", cut, result.text()).isEqualTo(1);
    }
    byte[] gzip = log.export().gzip();
    assertThat(verifyWithoutPins(Arrays.copyOf(gzip, gzip.length - 12)).exitCode()).isEqualTo(1);
    assertThat(verifyWithoutPins(Arrays.copyOf(gzip, gzip.length / 2)).exitCode()).isEqualTo(1);
  }

  @Test
  void onlyTheFinalLineFeedMayBeMissing() {
    byte[] export = log.export().bytes();
    assertThat(verifyWithoutPins(Arrays.copyOf(export, export.length - 1)).exitCode()).isZero();
  }

  @Test
  void theHeaderMustFitTheTree() {
    List<String> lines = log.export(4, 12, 20).lines();
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 0, "\"to_seq\":12", "\"to_seq\":21"))))
        .isEqualTo("signature");
    String left = PaddedBase64.encode(CompactRange.of(0, 4, log.tree()).get(0));
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 0, "\"left\":[\"" + left + "\"]",
        "\"left\":[\"" + left + "\",\"" + left + "\"]")))).isEqualTo("lines");
    String right = PaddedBase64.encode(CompactRange.of(12, 20, log.tree()).get(0));
    assertThat(failedCheck(verifyWithoutPins(replaceInLine(lines, 0, "\"right\":[\"" + right + "\",",
        "\"right\":[")))).isEqualTo("range");
  }

  @Test
  void anAddedLineFails() {
    List<String> lines = log.export().lines();
    lines.add(lines.get(2));
    assertThat(verifyWithoutPins(TestExport.join(lines)).exitCode()).isEqualTo(1);
    List<String> inserted = log.export().lines();
    inserted.add(4, inserted.get(3));
    assertThat(verifyWithoutPins(TestExport.join(inserted)).exitCode()).isEqualTo(1);
  }

  @Test
  void theEndLineMustCountTheRange() {
    List<String> lines = log.export().lines();
    lines.set(lines.size() - 1, "{\"count\":19,\"type\":\"end\"}");
    assertThat(failedCheck(verifyWithoutPins(TestExport.join(lines)))).isEqualTo("lines");
  }

  @Test
  void duplicateKeysAndIdsFail() {
    List<String> lines = log.export().lines();
    VerificationResult duplicateKey = verifyWithoutPins(replaceInLine(lines, 2, "{\"event\"", "{\"seq\":1,\"event\""));
    assertThat(failedCheck(duplicateKey)).isEqualTo("lines");
    String id = (String) log.leaf(1).document().get("id");
    String otherId = (String) log.leaf(2).document().get("id");
    VerificationResult duplicateId = verifyWithoutPins(replaceInLine(lines, 3, otherId, id));
    assertThat(failedCheck(duplicateId)).isEqualTo("lines");
    assertThat(detail(duplicateId, "lines")).contains("appears twice");
  }

  @Test
  void malformedInputIsAnError() {
    List<String> lines = log.export().lines();
    assertThat(verifyWithoutPins(replaceInLine(lines, 3, "{", "{{")).exitCode()).isEqualTo(2);
    assertThat(verifyWithoutPins(replaceInLine(lines, 3, "\"seq\":2", "\"seq\":\"2\"")).exitCode()).isEqualTo(2);
    assertThat(verifyWithoutPins(replaceInLine(lines, 3, "\"seq\":2", "\"seq\":2.0")).exitCode()).isEqualTo(2);
    assertThat(verifyWithoutPins(replaceInLine(lines, 3, "\"type\":\"event\"", "\"type\":\"story\"")).exitCode())
        .isEqualTo(2);
    assertThat(verifyWithoutPins(replaceInLine(lines, 0, "audit-export/v1", "audit-export/v2")).exitCode())
        .isEqualTo(2);
    assertThat(verifyWithoutPins(new byte[0]).exitCode()).isEqualTo(2);
    assertThat(verifyWithoutPins("not json\n".getBytes(StandardCharsets.UTF_8)).exitCode()).isEqualTo(2);
    byte[] latin1 = TestExport.join(lines);
    int umlaut = new String(latin1, StandardCharsets.ISO_8859_1).indexOf("\u00c3\u00bc");
    latin1[umlaut] = (byte) 0xfc;
    latin1[umlaut + 1] = ' ';
    assertThat(verifyWithoutPins(latin1).exitCode()).isEqualTo(2);
  }

  @Test
  void theFirstUsePinsAndSaysSo() throws IOException {
    VerificationResult result = verify(log.export().bytes());
    assertThat(result.exitCode()).as(result.text()).isZero();
    assertThat(detail(result, "pin")).startsWith("first use: pinned size 20");
    assertThat(Files.readString(pins().file(TestLog.ORIGIN))).isEqualTo(log.note(20));
    assertThat(pins().file(TestLog.ORIGIN).getFileName().toString()).isEqualTo("audit.example.com%2Faudit%2F7");
  }

  @Test
  void thePinMovesOnlyOnSuccess() throws IOException {
    verify(log.export(0, 10, 10).bytes());
    Path pin = pins().file(TestLog.ORIGIN);
    assertThat(Files.readString(pin)).isEqualTo(log.note(10));
    byte[] altered = replaceInLine(log.export(0, 20, 20).lines(), 5, "\"method\":\"POST\"", "\"method\":\"PUT\"");
    assertThat(verify(altered).exitCode()).isEqualTo(1);
    assertThat(Files.readString(pin)).isEqualTo(log.note(10));
    VerificationResult moved = verify(log.export(5, 20, 20).bytes());
    assertThat(moved.exitCode()).as(moved.text()).isZero();
    assertThat(detail(moved, "pin")).contains("extends the pinned size 10");
    assertThat(Files.readString(pin)).isEqualTo(log.note(20));
    VerificationResult older = verify(log.export(0, 10, 10).bytes());
    assertThat(older.exitCode()).isEqualTo(2);
    assertThat(Files.readString(pin)).isEqualTo(log.note(20));
    VerificationResult olderWithProof = verify(log.export(0, 10, 10).knownSize(20).bytes());
    assertThat(olderWithProof.exitCode()).as(olderWithProof.text()).isZero();
    assertThat(detail(olderWithProof, "pin")).contains("the pin stays");
    assertThat(Files.readString(pin)).isEqualTo(log.note(20));
  }

  @Test
  void missingConsistencyEvidenceIsAnErrorWithAHint() throws IOException {
    verify(log.export(0, 5, 5).bytes());
    VerificationResult result = verify(log.export(10, 20, 20).bytes());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(detail(result, "pin")).contains("known_size=5");
    assertThat(Files.readString(pins().file(TestLog.ORIGIN))).isEqualTo(log.note(5));
    VerificationResult withProof = verify(log.export(10, 20, 20).knownSize(5).bytes());
    assertThat(withProof.exitCode()).as(withProof.text()).isZero();
    assertThat(Files.readString(pins().file(TestLog.ORIGIN))).isEqualTo(log.note(20));
  }

  @Test
  void aPinBeyondAnOlderExportIsReachedByAProofFromTheExportsSizeToThePin() throws IOException {
    verify(log.export().bytes());
    VerificationResult without = verify(log.export(0, 7, 7).bytes());
    assertThat(without.exitCode()).isEqualTo(2);
    assertThat(detail(without, "pin")).contains("known_size=20");
    List<String> lines = log.export(0, 7, 7).knownSize(20).lines();
    assertThat(lines.get(0)).contains("\"consistency\":{\"from\":7,", "\"to\":20}");
    VerificationResult proven = verify(TestExport.join(lines));
    assertThat(proven.exitCode()).as(proven.text()).isZero();
    assertThat(detail(proven, "pin")).contains("earlier state of the pinned size 20");
    TestLog fork = new TestLog(log.key(), "forked ").events(20);
    VerificationResult forked = verify(fork.export(0, 7, 7).knownSize(20).bytes());
    assertThat(failedCheck(forked)).isEqualTo("pin");
    assertThat(detail(forked, "pin")).startsWith("FORK");
    assertThat(Files.readString(pins().file(TestLog.ORIGIN))).isEqualTo(log.note(20));
  }

  @Test
  void aForgedForkAtTheSameSizeFailsAndIsSaved() throws IOException {
    verify(log.export().bytes());
    TestLog fork = new TestLog(log.key(), "forked ").events(20);
    VerificationResult result = verify(fork.export().bytes());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(detail(result, "pin")).startsWith("FORK");
    Path saved = state.resolve("audit.example.com%2Faudit%2F7.fork-20");
    assertThat(Files.readString(saved)).isEqualTo(fork.note(20));
    assertThat(Files.readString(pins().file(TestLog.ORIGIN))).isEqualTo(log.note(20));
  }

  @Test
  void aForgedForkAgainstAPinInsideTheRangeFails() throws IOException {
    verify(log.export(0, 8, 8).bytes());
    TestLog fork = new TestLog(log.key(), "forked ").events(20);
    VerificationResult result = verify(fork.export(3, 20, 20).bytes());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(detail(result, "pin")).startsWith("FORK");
    assertThat(state.resolve("audit.example.com%2Faudit%2F7.fork-20")).exists();
  }

  @Test
  void aForgedForkWithAConsistencyProofFails() throws IOException {
    verify(log.export(0, 8, 8).bytes());
    TestLog fork = new TestLog(log.key(), "forked ").events(20);
    VerificationResult result = verify(fork.export(12, 20, 20).knownSize(8).bytes());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(detail(result, "pin")).startsWith("FORK");
    assertThat(state.resolve("audit.example.com%2Faudit%2F7.fork-20")).exists();
    assertThat(Files.readString(pins().file(TestLog.ORIGIN))).isEqualTo(log.note(8));
  }

  @Test
  void aRedactionExplainedByALaterErasureRecordIsRedacted() {
    TestLog erased = new TestLog(TestLog.key(3)).events(6).erasure(2, 4).events(2);
    VerificationResult result = verdict(erased, erased.export().redact(2, 4).bytes());
    assertThat(result.exitCode()).as(result.text()).isZero();
    assertThat(result.counts()).contains(new VerificationResult.Counts(7, 2, 0));
  }

  @Test
  void aRedactionWithoutARecordIsMissing() {
    TestLog erased = new TestLog(TestLog.key(3)).events(6).erasure(2).events(2);
    VerificationResult result = verdict(erased, erased.export().redact(2, 4).bytes());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(failedCheck(result)).isEqualTo("redactions");
    assertThat(detail(result, "redactions")).contains("MISSING").contains("seq 4");
    assertThat(result.counts()).contains(new VerificationResult.Counts(7, 1, 1));
  }

  @Test
  void aRecordMustListTheSeqAndComeAfterIt() {
    TestLog wrongSeq = new TestLog(TestLog.key(3)).events(6).erasure(3).events(2);
    String listing = "{\"id\":\"" + wrongSeq.leaf(3).document().get("id") + "\",\"seq\":3}";
    assertThat(Jcs.canonical(wrongSeq.leaf(6).document())).contains(listing);
    assertThat(verdict(wrongSeq, wrongSeq.export().redact(2).bytes()).exitCode()).isEqualTo(1);
    TestLog earlier = new TestLog(TestLog.key(3)).events(2).erasure(1).events(3);
    assertThat(verdict(earlier, earlier.export().redact(3).bytes()).exitCode()).isEqualTo(1);
  }

  @Test
  void retentionRecordsExplainWhatIsOlderThanTheirBefore() {
    long beforeSeq3 = TestLog.START_NANOS + 3 * 1000;
    TestLog retained = new TestLog(TestLog.key(4)).events(6).retention(beforeSeq3).events(1);
    VerificationResult ok = verdict(retained, retained.export().redact(0, 1, 2).bytes());
    assertThat(ok.exitCode()).as(ok.text()).isZero();
    assertThat(ok.counts()).contains(new VerificationResult.Counts(5, 3, 0));
    VerificationResult missing = verdict(retained, retained.export().redact(0, 3).bytes());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(detail(missing, "redactions")).contains("seq 3");
  }

  @Test
  void recordsAfterTheRangeComeWithTheirProofs() {
    TestLog erased = new TestLog(TestLog.key(5)).events(10).erasure(1, 3).events(5);
    VerificationResult withProof = verdict(erased, erased.export(0, 5, 16).redact(1, 3).erasureProof(10)
        .bytes());
    assertThat(withProof.exitCode()).as(withProof.text()).isZero();
    assertThat(withProof.counts()).contains(new VerificationResult.Counts(3, 2, 0));
    assertThat(verdict(erased, erased.export(0, 5, 16).redact(1, 3).bytes()).exitCode()).isEqualTo(1);
    List<String> lines = erased.export(0, 5, 16).redact(1, 3).erasureProof(10).lines();
    String proofLine = lines.get(lines.size() - 2);
    List<?> hashes = (List<?>) ((Map<?, ?>) Json.parse(proofLine)).get("hashes");
    String first = (String) hashes.get(0);
    String flipped = PaddedBase64.encode(Bytes.flipBit(PaddedBase64.decode(first), 7));
    lines.set(lines.size() - 2, proofLine.replace(first, flipped));
    VerificationResult badProof = verdict(erased, TestExport.join(lines));
    assertThat(failedCheck(badProof)).isEqualTo("lines");
    assertThat(detail(badProof, "lines")).contains("not in the signed tree");
  }

  @Test
  void aRedactedErasureRecordFails() {
    TestLog erased = new TestLog(TestLog.key(6)).events(3).erasure(1).events(1);
    VerificationResult result = verdict(erased, erased.export().redact(1, 3).bytes());
    assertThat(failedCheck(result)).isEqualTo("lines");
    assertThat(detail(result, "lines")).contains("records are never erased");
  }

  private VerificationResult verify(byte[] export) {
    return ExportVerifier.withPins(List.of(log.key().verifierKey()), pins()).verify(new ByteArrayInputStream(export));
  }

  private PinStore pins() {
    return new PinStore(state);
  }

  private VerificationResult verifyWithoutPins(byte[] export) {
    return verdict(log, export);
  }
}
