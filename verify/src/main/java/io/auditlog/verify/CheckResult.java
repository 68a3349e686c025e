package io.auditlog.verify;

/** The outcome of one check of an export, with what it found. */
public record CheckResult(String name, Status status, String detail) {

  /** How one check ended. SKIPPED checks did not run, because an earlier one did not pass or there was no state. */
  public enum Status {
    OK, FAILED, ERROR, SKIPPED
  }
}
