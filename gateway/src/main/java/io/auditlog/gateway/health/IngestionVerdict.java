package io.auditlog.gateway.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.auditlog.web.HealthHandler.Report;
import io.auditlog.web.HealthHandler.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Judges ingestion from the recent samples, oldest first:
 * <ul>
 *   <li>DOWN when the newest sample is missing or older than three sampling intervals, when Kafka could not be
 *       asked, or when no worker is in the group (nothing accepted now will be stored);</li>
 *   <li>DEGRADED when the oldest unstored event is older than {@link Thresholds#maxUnstoredAge}, or when the lag grew
 *       from each sample to the next across the whole {@link Thresholds#growthWindow} (workers fall behind);</li>
 *   <li>UP otherwise.</li>
 * </ul>
 */
public final class IngestionVerdict {

  /** The sampling interval and the two limits above; documented with their defaults in gateway/README.md. */
  public record Thresholds(Duration sampleInterval, Duration growthWindow, Duration maxUnstoredAge) {
  }

  private IngestionVerdict() {
  }

  public static Report judge(List<IngestionSample> history, Instant now, Thresholds thresholds) {
    if (history.isEmpty()) {
      return report(Status.DOWN, "not sampled yet", null, false);
    }
    IngestionSample latest = history.get(history.size() - 1);
    if (Duration.between(latest.at(), now).compareTo(thresholds.sampleInterval().multipliedBy(3)) > 0) {
      return report(Status.DOWN, "no sample since " + latest.at(), latest, false);
    }
    if (!latest.reachable()) {
      return report(Status.DOWN, "Kafka could not be asked: " + latest.error(), latest, false);
    }
    boolean growing = lagGrowing(history, thresholds.growthWindow());
    if (latest.workers().isEmpty()) {
      return report(Status.DOWN, "no ingest worker consumes", latest, growing);
    }
    if (latest.oldestUnstoredAge().compareTo(thresholds.maxUnstoredAge()) > 0) {
      return report(Status.DEGRADED, "the oldest unstored event is older than "
          + thresholds.maxUnstoredAge().toSeconds() + " s", latest, growing);
    }
    if (growing) {
      return report(Status.DEGRADED, "the lag grew at every sample for "
          + thresholds.growthWindow().toSeconds() + " s", latest, true);
    }
    return report(Status.UP, "workers keep up", latest, false);
  }

  /** True when the samples cover the window and the lag rose from each one to the next within it. */
  static boolean lagGrowing(List<IngestionSample> history, Duration window) {
    IngestionSample latest = history.get(history.size() - 1);
    Instant from = latest.at().minus(window);
    if (history.get(0).at().isAfter(from)) {
      return false;
    }
    long later = Long.MAX_VALUE;
    for (int i = history.size() - 1; i >= 0; i--) {
      IngestionSample sample = history.get(i);
      if (!sample.reachable() || sample.lag() >= later) {
        return false;
      }
      later = sample.lag();
      if (!sample.at().isAfter(from)) {
        return true;
      }
    }
    return false;
  }

  private static Report report(Status status, String reason, IngestionSample sample, boolean growing) {
    ObjectNode details = Json.MAPPER.createObjectNode();
    details.put("status", status.name());
    details.put("reason", reason);
    if (sample != null && sample.reachable()) {
      ArrayNode workers = details.putArray("workers");
      // Not the members' hosts: /health is public, and those are internal addresses.
      sample.workers().forEach(worker -> workers.addObject().put("client_id", worker.clientId())
          .put("partitions", worker.partitions()));
      details.put("lag", sample.lag());
      details.put("lag_growing", growing);
      details.put("oldest_unstored_age_seconds", sample.oldestUnstoredAge().toMillis() / 1000.0);
    }
    if (sample != null) {
      details.put("sampled_at", sample.at().toString());
    }
    return new Report(status, details);
  }
}
