package io.auditlog.worker;

import java.time.Duration;

/** The pause between retries of a step that failed for now: 100 ms, doubled after each failure up to a limit. */
final class Backoff {

  static final Duration FIRST = Duration.ofMillis(100);

  private Backoff() {
  }

  static Duration after(Duration previous, Duration limit) {
    Duration doubled = previous.multipliedBy(2);
    return doubled.compareTo(limit) > 0 ? limit : doubled;
  }
}
