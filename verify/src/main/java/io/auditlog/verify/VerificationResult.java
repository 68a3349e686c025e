package io.auditlog.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the verifier found: one line per check, the counts of present, redacted and missing leaves once they are
 * known, and the result: OK (exit 0), FAILED (exit 1: the export does not prove what it claims) or ERROR (exit 2:
 * the arguments or the input are unusable, or evidence is missing).
 */
public record VerificationResult(CheckResult.Status result, List<CheckResult> checks, Optional<Counts> counts) {

  /** Leaves with their bodies, redacted leaves explained by an erasure record, and unexplained ones. */
  public record Counts(long present, long redacted, long missing) {
  }

  public VerificationResult {
    if (result == CheckResult.Status.SKIPPED) {
      throw new IllegalArgumentException("a result is OK, FAILED or ERROR");
    }
    checks = List.copyOf(checks);
  }

  public int exitCode() {
    return switch (result) {
      case FAILED -> 1;
      case ERROR -> 2;
      default -> 0;
    };
  }

  /** The human-readable report: one line per check, then {@code RESULT: …}. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (CheckResult check : checks) {
      text.append(String.format("%-11s %-8s %s%n", check.name(), check.status(), check.detail()));
    }
    return text.append("RESULT: ").append(result).append(System.lineSeparator()).toString();
  }

  /** The same report as one canonical JSON object. */
  public String json() {
    List<Object> checkList = new ArrayList<>();
    for (CheckResult check : checks) {
      checkList.add(Map.of("check", check.name(), "status", check.status().name(), "detail", check.detail()));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("result", result.name());
    json.put("exit_code", exitCode());
    json.put("checks", checkList);
    counts.ifPresent(c -> json.put("counts", Map.of("present", c.present(), "redacted", c.redacted(),
        "missing", c.missing())));
    return Jcs.canonical(json) + System.lineSeparator();
  }
}
