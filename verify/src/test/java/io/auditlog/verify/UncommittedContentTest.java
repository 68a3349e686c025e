package io.auditlog.verify;

import static io.auditlog.verify.Verdicts.detail;
import static io.auditlog.verify.Verdicts.failedCheck;
import static io.auditlog.verify.Verdicts.replaceInLine;
import static io.auditlog.verify.Verdicts.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the signed root does not cover fails, or is named: keys outside the hashed documents and bytes after the gzip
 * stream or after the end line fail; integers that the commitment's doubles cannot hold are named.
 */
class UncommittedContentTest {

  private static final String FORGED = "\"note\":\"FORGED: approved by admin\",";

  private final TestLog log = new TestLog(TestLog.key(1)).events(20);
  /** Seqs 0–9 events, 10 an erasure record of 1 and 3, 11–15 events. */
  private final TestLog erased = new TestLog(TestLog.key(5)).events(10).erasure(1, 3).events(5);

  @Test
  void aKeyBesideTheEventFailsNamingKeyAndSeq() {
    byte[] export = replaceInLine(log.export().lines(), 3, "\"salt\":", FORGED + "\"salt\":");
    VerificationResult result = verdict(log, export);
    assertThat(failedCheck(result)).isEqualTo("lines");
    assertThat(detail(result, "lines")).contains("line 4", "seq 2", "\"note\"");
  }

  @Test
  void aKeyAddedToAnyLineTypeFails() {
    List<String> whole = erased.export().redact(1, 3).lines();
    List<String> proven = erased.export(0, 5, 16).redact(1, 3).erasureProof(10).lines();
    assertAddedKeyFails(erased, whole, 0, "\"checkpoint\":", "line 1");
    assertAddedKeyFails(log, log.export(0, 10, 10).knownSize(20).lines(), 0, "\"from\":", "consistency");
    assertAddedKeyFails(erased, whole, 2, "\"entry\":", "seq 1");
    assertAddedKeyFails(erased, whole, 11, "\"record\":", "seq 10");
    assertAddedKeyFails(erased, proven, proven.size() - 2, "\"hashes\":", "seq 10");
    assertAddedKeyFails(erased, whole, whole.size() - 1, "\"count\":", "end line");
  }

  /** Adds the forged key before the key named and expects a failure saying where. */
  private static void assertAddedKeyFails(TestLog signer, List<String> lines, int index, String key, String where) {
    VerificationResult result = verdict(signer, replaceInLine(lines, index, key, FORGED + key));
    assertThat(result.exitCode()).as(result.text()).isEqualTo(1);
    assertThat(result.text()).contains(where, "\"note\"");
  }

  @Test
  void bytesAfterTheGzipStreamFail() {
    byte[] gzip = log.export().gzip();
    assertThat(verdict(log, gzip).exitCode()).isZero();
    byte[] export = log.export().bytes();
    int half = export.length / 2;
    List<byte[]> altered = List.of(
        concat(gzip, "junk".getBytes(StandardCharsets.UTF_8)),
        concat(gzip, new byte[1]),
        concat(gzip, TestExport.gzip(new byte[0])),
        concat(TestExport.gzip(Arrays.copyOf(export, half)),
            TestExport.gzip(Arrays.copyOfRange(export, half, export.length))));
    for (byte[] bytes : altered) {
      VerificationResult result = verdict(log, bytes);
      assertThat(result.exitCode()).as(result.text()).isEqualTo(1);
      assertThat(result.text()).contains("gzip");
    }
  }

  @Test
  void anythingAfterTheEndLineFails() {
    byte[] export = log.export().bytes();
    for (String after : new String[] {"\n", " ", "{}", "{\"type\":\"end\",\"count\":20}\n"}) {
      VerificationResult result = verdict(log, concat(export, after.getBytes(StandardCharsets.UTF_8)));
      assertThat(failedCheck(result)).as("%s: %s", after, result.text()).isEqualTo("lines");
      assertThat(detail(result, "lines")).contains("follows the end line");
    }
  }

  @Test
  void anIntegerThatNoDoubleHoldsIsNamedWithItsSeqSinceTheRootCannotTellItFromItsNeighbour() {
    List<String> lines = log.export().lines();
    String honest = "\"big\":9007199254740992";
    VerificationResult same = verdict(log, replaceInLine(lines, 5, honest, "\"big\":9007199254740993"));
    assertThat(same.exitCode()).as(same.text()).isZero();
    assertThat(detail(same, "lines")).contains("note: 1 integers beyond 2^53", "9007199254740993", "seq 4");
    VerificationResult other = verdict(log, replaceInLine(lines, 5, honest, "\"big\":9007199254740994"));
    assertThat(other.exitCode()).as("a different double changes the root").isEqualTo(1);
  }

  @Test
  void anIntegerThatNoDoubleHoldsInAnErasureRecordIsNoted() {
    List<String> lines = erased.export().redact(1, 3).lines();
    VerificationResult result = verdict(erased, replaceInLine(lines, 11, "\"part\":1", "\"part\":9007199254740993"));
    assertThat(result.exitCode()).as("1 became another number: the root differs").isEqualTo(1);
    assertThat(detail(result, "lines")).contains("seq 10", "9007199254740993");
  }

  @Test
  void exactIntegersAndAnyFractionOrExponentPass() {
    List<String> lines = log.export().lines();
    String honest = "\"big\":9007199254740992";
    assertThat(lines.get(5)).contains(honest, "0.1", "1e+21");
    for (String spelling : new String[] {"9007199254740992", "9007199254740992.0", "9007199254740993.0",
        "9.007199254740993e15", "90071992547409920e-1"}) {
      VerificationResult result = verdict(log, replaceInLine(lines, 5, honest, "\"big\":" + spelling));
      assertThat(result.exitCode()).as("%s: %s", spelling, result.text()).isZero();
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
