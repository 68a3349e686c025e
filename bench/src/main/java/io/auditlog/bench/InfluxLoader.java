package io.auditlog.bench;

import io.auditlog.infra.BackingServices;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.InfluxWriter;
import io.auditlog.store.read.CountsByHour;
import io.auditlog.worker.ChangedHours;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Events written straight into one tenant's database as the worker writes them ({@link InfluxWriter}: gzip, as the
 * writer user), in batches of {@link #BATCH_EVENTS} events, by {@code writers} threads each posting its own batches
 * concurrently. At most two batches per writer are in flight, so a load of any size holds little in memory.
 */
final class InfluxLoader implements AutoCloseable {

  /** The worker's default batch ({@code AUDIT_BATCH_SIZE}). */
  static final int BATCH_EVENTS = 5_000;

  private final InfluxWriter writer;
  private final String database;
  private final int writers;
  private final ExecutorService pool;
  private final Deque<Future<?>> inFlight = new ArrayDeque<>();
  private final long account;
  private final ChangedHours marks;

  InfluxLoader(BackingServices backing, String tenant, int writers) {
    this(backing, tenant, writers, null);
  }

  /**
   * A loader that also marks the hours each batch wrote in, once it is written, as the ingest worker does
   * ({@code marks}; null: none), so that counts the query-service keeps per hour count these events too.
   */
  InfluxLoader(BackingServices backing, String tenant, int writers, ChangedHours marks) {
    this.account = marks == null ? 0 : Long.parseLong(tenant);
    this.marks = marks;
    this.writer = new InfluxWriter(backing.influx().url(), backing.influxAccess().writer(), Duration.ofSeconds(120));
    this.database = InfluxNames.database(tenant);
    this.writers = writers;
    this.pool = Executors.newFixedThreadPool(writers, task -> {
      Thread thread = new Thread(task, "influx-loader");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Creates the tenant's database as the admin and grants the writer, as the gateway does at activation. */
  static void provision(BackingServices backing, String tenant) {
    backing.influx().provision(backing.influxAccess().provisioning(), tenant);
  }

  /** Every event of {@code data}, encoded in batches beforehand, so that a timed write measures the writes alone. */
  static List<List<String>> encode(SyntheticEvents data, SchemaCandidate candidate) {
    List<List<String>> batches = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    int events = 0;
    while (data.hasNext()) {
      for (StampedEvent event : data.nextRequest()) {
        batch.addAll(candidate.encode(event));
        if (++events % BATCH_EVENTS == 0) {
          batches.add(batch);
          batch = new ArrayList<>();
        }
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /**
   * Encodes and writes every event of {@code data} as it goes (a batch ends with the request that reaches
   * {@link #BATCH_EVENTS}), printing progress every {@code progressEvery} events (0: never); answers how many events
   * were written.
   */
  long load(SyntheticEvents data, SchemaCandidate candidate, long progressEvery) throws Exception {
    long started = System.nanoTime();
    long events = 0;
    List<String> batch = new ArrayList<>();
    Set<ChangedHours.Hour> hours = new HashSet<>();
    long batchStart = 0;
    while (data.hasNext()) {
      for (StampedEvent event : data.nextRequest()) {
        batch.addAll(candidate.encode(event));
        hours.add(new ChangedHours.Hour(account, CountsByHour.hourOf(event.timestampNanos())));
        events++;
        if (progressEvery > 0 && events % progressEvery == 0) {
          double seconds = (System.nanoTime() - started) / 1e9;
          System.out.printf("  loaded %,d events in %.0f s (%,.0f events/s)%n", events, seconds, events / seconds);
        }
      }
      if (events - batchStart >= BATCH_EVENTS || !data.hasNext()) {
        submit(batch, hours);
        batch = new ArrayList<>();
        hours = new HashSet<>();
        batchStart = events;
      }
    }
    finish();
    return events;
  }

  /** Writes the batches and answers the seconds from the first post until the last was acknowledged. */
  double write(List<List<String>> batches) throws Exception {
    long started = System.nanoTime();
    for (List<String> batch : batches) {
      submit(batch, Set.of());
    }
    finish();
    return (System.nanoTime() - started) / 1e9;
  }

  private void submit(List<String> lines, Set<ChangedHours.Hour> hours) throws Exception {
    inFlight.add(pool.submit(() -> {
      if (!writer.write(database, lines).isEmpty()) {
        throw new IllegalStateException("InfluxDB refused synthetic lines");
      }
      if (marks != null) {
        marks.mark(hours);
      }
      return null;
    }));
    while (inFlight.size() > 2 * writers) {
      awaitOldest();
    }
  }

  private void finish() throws Exception {
    while (!inFlight.isEmpty()) {
      awaitOldest();
    }
  }

  private void awaitOldest() throws Exception {
    try {
      inFlight.remove().get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
