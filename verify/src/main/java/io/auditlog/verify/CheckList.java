package io.auditlog.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of one run, in their fixed order. Each passes, fails or errs in turn; once one does not pass, the rest
 * are reported as skipped.
 */
final class CheckList {

  private final List<String> names;
  private final List<CheckResult> results = new ArrayList<>();
  private VerificationResult.Counts counts;

  CheckList(List<String> names) {
    this.names = names;
  }

  void pass(String detail) {
    add(CheckResult.Status.OK, detail);
  }

  void skip(String detail) {
    add(CheckResult.Status.SKIPPED, detail);
  }

  void counts(VerificationResult.Counts counts) {
    this.counts = counts;
  }

  /** Ends the run with the current check FAILED. */
  VerificationResult fail(String detail) {
    return stop(CheckResult.Status.FAILED, detail);
  }

  /** Ends the run with the current check in ERROR. */
  VerificationResult error(String detail) {
    return stop(CheckResult.Status.ERROR, detail);
  }

  /** Ends a run in which every check passed or was skipped for want of state. */
  VerificationResult finish() {
    if (results.size() != names.size()) {
      throw new IllegalStateException("checks left: " + names.subList(results.size(), names.size()));
    }
    return new VerificationResult(CheckResult.Status.OK, results, Optional.ofNullable(counts));
  }

  private VerificationResult stop(CheckResult.Status status, String detail) {
    add(status, detail);
    while (results.size() < names.size()) {
      skip("not checked");
    }
    return new VerificationResult(status, results, Optional.ofNullable(counts));
  }

  private void add(CheckResult.Status status, String detail) {
    results.add(new CheckResult(names.get(results.size()), status, detail));
  }
}
