package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/** Runs of the verifier without pins, exports altered line by line, and what the runs found. */
final class Verdicts {

  private Verdicts() {
  }

  /** A run without pins, with the key of the log that signed the export. */
  static VerificationResult verdict(TestLog signer, byte[] export) {
    return ExportVerifier.withoutPins(List.of(signer.key().verifierKey())).verify(new ByteArrayInputStream(export));
  }

  /** The lines joined after one replacement in the line at the index, which must hold the text replaced. */
  static byte[] replaceInLine(List<String> lines, int index, String from, String to) {
    List<String> copy = new ArrayList<>(lines);
    assertThat(copy.get(index)).contains(from);
    copy.set(index, copy.get(index).replace(from, to));
    return TestExport.join(copy);
  }

  /** The name of the check that failed, the run having exited 1. */
  static String failedCheck(VerificationResult result) {
    assertThat(result.exitCode()).as(result.text()).isEqualTo(1);
    return result.checks().stream().filter(check -> check.status() == CheckResult.Status.FAILED).findFirst()
        .orElseThrow().name();
  }

  static CheckResult.Status status(VerificationResult result, String name) {
    return check(result, name).status();
  }

  static String detail(VerificationResult result, String name) {
    return check(result, name).detail();
  }

  private static CheckResult check(VerificationResult result, String name) {
    return result.checks().stream().filter(check -> check.name().equals(name)).findFirst().orElseThrow();
  }
}
