package io.auditlog.worker;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where crash tests stop the store stage ({@code AUDIT_TEST_PAUSE_AT}): the first tenant part to reach the point
 * logs {@code paused at <point>} and its thread waits there for good, so that a SIGKILL lands exactly after the
 * history's commit ({@code placed}) or after the InfluxDB write ({@code written}), before the offsets are committed.
 * Unset in every real deployment.
 */
final class PausePoint {

  /** The points of the store stage a test can stop at. */
  enum Point { NONE, PLACED, WRITTEN }

  private static final Logger LOG = LoggerFactory.getLogger(PausePoint.class);

  private final Point point;
  private final AtomicBoolean reached = new AtomicBoolean();

  PausePoint(Point point) {
    this.point = point;
  }

  void pass(Point here) {
    if (here != point || !reached.compareAndSet(false, true)) {
      return;
    }
    LOG.warn("paused at {}", point.name().toLowerCase(Locale.ROOT));
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
