package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.auditlog.model.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * From the first POST of a phase until its last accepted event is stored: events per second, and samples every
 * 250 ms of what the worker has written since the phase began and of its consumer lag (both from its
 * {@code /metrics}). The end is confirmed by counting the phase's events in InfluxDB, only once the worker says it
 * has written them all: a count over every series of the category, every 250 ms, would take a large share of the
 * store's CPU from the ingestion being measured, and more of it the longer the phase lasts.
 */
record EndToEnd(long events, double seconds, List<Sample> samples) {

  record Sample(double second, long stored, long lag) {
  }

  double eventsPerSecond() {
    return events / seconds;
  }

  ArrayNode samplesJson() {
    ArrayNode json = Json.MAPPER.createArrayNode();
    samples.forEach(s -> json.addObject().put("second", s.second()).put("stored", s.stored()).put("lag", s.lag()));
    return json;
  }

  /** Samples on a thread of its own from its creation (just before the phase starts). */
  static final class Tracker implements Runnable {

    private final BenchStack bench;
    private final String category;
    private final long startNanos = System.nanoTime();
    private final long writtenBefore;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread = new Thread(this, "end-to-end");
    private volatile long target = Long.MAX_VALUE;
    private volatile long doneNanos;

    Tracker(BenchStack bench, String category) throws Exception {
      this.bench = bench;
      this.category = category;
      this.writtenBefore = WorkerBatches.written(bench);
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void run() {
      try {
        while (doneNanos == 0) {
          String metrics = WorkerBatches.metrics(bench);
          long written = (long) WorkerBatches.value(metrics, "auditlog_events_written_total") - writtenBefore;
          long now = System.nanoTime();
          synchronized (samples) {
            samples.add(new Sample((now - startNanos) / 1e9, written,
                (long) WorkerBatches.value(metrics, "auditlog_consumer_lag")));
          }
          if (written >= target && IngestBenchmark.stored(bench, category) >= target) {
            doneNanos = now;
          }
          Thread.sleep(250);
        }
      } catch (Exception e) {
        doneNanos = -1;
      }
    }

    /** Waits until every event the phase had accepted is stored. */
    EndToEnd awaitAll(Run phase, Duration timeout) throws InterruptedException {
      target = phase.acceptedEvents();
      thread.join(timeout.toMillis());
      if (doneNanos <= 0) {
        throw new IllegalStateException("the accepted events were not all stored within " + timeout);
      }
      synchronized (samples) {
        return new EndToEnd(target, (doneNanos - phase.startNanos) / 1e9, List.copyOf(samples));
      }
    }
  }
}
