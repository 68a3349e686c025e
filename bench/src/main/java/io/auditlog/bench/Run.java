package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * One load phase as the client saw it: latencies over the whole phase and per second, accepted requests and events
 * per second, and the failures. Answers arrive on several event loops, so recording is synchronized.
 */
final class Run {

  final String name;
  final long startNanos = System.nanoTime();
  private final int eventsPerRequest;
  private final Histogram latency = new Histogram(120_000_000L, 3);
  private final Histogram[] perSecond;
  private final long[] acceptedPerSecond;
  private long accepted;
  private long failed;
  private long lastAnswerNanos;

  Run(String name, int eventsPerRequest, Duration duration) {
    this.name = name;
    this.eventsPerRequest = eventsPerRequest;
    int seconds = (int) duration.toSeconds() + 130;
    perSecond = new Histogram[seconds];
    acceptedPerSecond = new long[seconds];
  }

  /** One answer: due (or sent) at {@code fromNanos}, answered at {@code toNanos}. */
  synchronized void record(long fromNanos, long toNanos, boolean ok) {
    long micros = Math.max(1, (toNanos - fromNanos) / 1000);
    latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
    int second = (int) Math.min(perSecond.length - 1, (toNanos - startNanos) / 1_000_000_000L);
    if (perSecond[second] == null) {
      perSecond[second] = new Histogram(120_000_000L, 2);
    }
    perSecond[second].recordValue(Math.min(micros, latency.getHighestTrackableValue()));
    lastAnswerNanos = Math.max(lastAnswerNanos, toNanos);
    if (ok) {
      accepted++;
      acceptedPerSecond[second]++;
    } else {
      failed++;
    }
  }

  synchronized Run finish() {
    return this;
  }

  synchronized double seconds() {
    return (lastAnswerNanos - startNanos) / 1e9;
  }

  synchronized long acceptedEvents() {
    return accepted * eventsPerRequest;
  }

  synchronized double requestsPerSecond() {
    return accepted / seconds();
  }

  synchronized double eventsPerSecond() {
    return acceptedEvents() / seconds();
  }

  synchronized double millis(double percentile) {
    return latency.getValueAtPercentile(percentile) / 1000.0;
  }

  synchronized long failed() {
    return failed;
  }

  /** Seconds since the start that saw answers. */
  synchronized int secondsWithAnswers() {
    int last = 0;
    for (int i = 0; i < perSecond.length; i++) {
      if (perSecond[i] != null) {
        last = i + 1;
      }
    }
    return last;
  }

  synchronized double eventsInSecond(int second) {
    return acceptedPerSecond[second] * (double) eventsPerRequest;
  }

  /** The latency percentile within one second, or NaN for a second without answers. */
  synchronized double millisInSecond(int second, double percentile) {
    Histogram h = perSecond[second];
    return h == null ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  synchronized ObjectNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("name", name);
    json.put("accepted_requests", accepted);
    json.put("accepted_events", acceptedEvents());
    json.put("failed_requests", failed);
    json.put("seconds", Math.round(seconds() * 100) / 100.0);
    json.put("requests_per_second", Math.round(requestsPerSecond()));
    json.put("events_per_second", Math.round(eventsPerSecond()));
    json.put("p50_ms", millis(50));
    json.put("p99_ms", millis(99));
    json.put("p999_ms", millis(99.9));
    json.put("max_ms", latency.getMaxValue() / 1000.0);
    ArrayNode series = json.putArray("per_second");
    for (int s = 0; s < secondsWithAnswers(); s++) {
      series.addObject().put("second", s).put("events", eventsInSecond(s))
          .put("p50_ms", millisInSecond(s, 50)).put("p99_ms", millisInSecond(s, 99));
    }
    return json;
  }

  synchronized String row() {
    return String.format("%-34s %9d %9.0f %10.0f %8.1f %8.1f %8.1f %6d", name, accepted, requestsPerSecond(),
        eventsPerSecond(), millis(50), millis(99), millis(99.9), failed);
  }

  static String header() {
    return String.format("%-34s %9s %9s %10s %8s %8s %8s %6s", "phase", "requests", "req/s", "events/s",
        "p50 ms", "p99 ms", "p99.9ms", "failed");
  }
}
