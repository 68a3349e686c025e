package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One leg of {@link HistoryBenchmark}: a stack of its own with the verifiable history on or off; a warm-up (100-event
 * batches at {@link #WARM_UP_EVENTS_PER_SECOND} for {@link #WARM_UP}, until stored: the JITs compile the paths, and no
 * backlog is left); then 100-event batches with a fixed number of requests in flight (a closed loop: the gateway
 * takes as many as it can, so what it accepts is what is offered), timed from the first POST until InfluxDB holds
 * them all ({@link EndToEnd}), with each process's CPU time and the worker's batches over that span; then the same
 * load again with the {@link FreshnessProbe} alongside.
 *
 * <p>A closed loop rather than a fixed rate: offered at 20,000 events/s on this machine, beyond what it stores, a
 * fixed rate queued hundreds of requests at the gateway until Kafka's acknowledgements took longer than its publish
 * timeout, and up to a third of the requests failed with 503 (their events stored all the same, uncounted).
 */
final class HistoryLeg {

  static final int BATCH = 100;
  static final Duration WARM_UP = Duration.ofSeconds(10);
  static final int WARM_UP_EVENTS_PER_SECOND = 5_000;
  private static final String CATEGORY = "bench_history";
  private static final String PROBED = CATEGORY + "_probed";

  private final int number;
  private final boolean history;
  private final int inFlight;
  private final long startedNanos = System.nanoTime();

  private HistoryLeg(int number, boolean history, int inFlight) {
    this.number = number;
    this.history = history;
    this.inFlight = inFlight;
  }

  /** What one leg measured. */
  record Result(int number, boolean history, Run posts, EndToEnd endToEnd, StackCpu cpu, WorkerBatches batches,
      FreshnessProbe.Result probe, long storedAtEnd, String loadAverage, double secondsSinceStart) {

    String mode() {
      return history ? "on" : "off";
    }

    /** The CPU microseconds per stored event of the processes whose names start with {@code prefix}. */
    double microsPerEvent(String prefix) {
      return 1000 * cpu.millis().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
          .mapToDouble(e -> e.getValue()).sum() / endToEnd.events();
    }

    ObjectNode json() {
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("leg", number);
      json.put("history", mode());
      json.put("seconds_since_leg_start", Math.round(secondsSinceStart));
      json.put("load_average_at_end", loadAverage);
      json.put("accepted_events_per_second", Math.round(posts.eventsPerSecond()));
      json.put("failed_requests", posts.failed());
      json.put("post_p99_ms", posts.millis(99));
      json.put("events", endToEnd.events());
      json.put("stored_at_end", storedAtEnd);
      json.put("seconds", Math.round(endToEnd.seconds() * 100) / 100.0);
      json.put("events_per_second", Math.round(endToEnd.eventsPerSecond()));
      ObjectNode micros = json.putObject("cpu_us_per_event");
      cpu.millis().keySet().forEach(process -> micros.put(process, round(microsPerEvent(process))));
      micros.put("all", round(1000 * cpu.total() / endToEnd.events()));
      json.put("worker_batches", batches.count());
      json.put("events_per_worker_batch", Math.round((double) endToEnd.events() / batches.count()));
      json.put("worker_batch_mean_ms", round(batches.meanMillis()));
      json.set("probe", probe.json());
      json.set("samples", endToEnd.samplesJson());
      return json;
    }

    String row() {
      return String.format("%3d %-7s %9.0f %9d %7.1f %9.0f %9.1f %9.1f %7d %7.0f %8.1f %8.1f", number, mode(),
          posts.eventsPerSecond(), endToEnd.events(), endToEnd.seconds(), endToEnd.eventsPerSecond(),
          microsPerEvent("ingest-worker"), 1000 * cpu.total() / endToEnd.events(), batches.count(),
          (double) endToEnd.events() / batches.count(), batches.meanMillis(),
          history ? probe.fresh().millis(99) : Double.NaN);
    }

    static String header() {
      return String.format("%3s %-7s %9s %9s %7s %9s %9s %9s %7s %7s %8s %8s", "leg", "history", "accepted/s",
          "events", "seconds", "stored/s", "worker us", "all us", "batches", "ev/bat", "batch ms", "fresh99");
    }
  }

  /** Runs a leg on a stack of its own, closed after. */
  static Result run(int number, boolean history, int inFlight, Duration length, String javaOptions)
      throws Exception {
    HistoryLeg leg = new HistoryLeg(number, history, inFlight);
    try (BenchStack bench = BenchStack.start(javaOptions, history);
        LoadGenerator load = new LoadGenerator(bench.base, bench.accessKey, inFlight)) {
      String warmUp = CATEGORY + "_warmup";
      Run posts = load.fixedRate("warm-up", IngestBenchmark.bodies(warmUp, BATCH, 20), BATCH,
          WARM_UP_EVENTS_PER_SECOND / BATCH, WARM_UP);
      IngestBenchmark.awaitStored(bench, warmUp, posts.acceptedEvents());
      return leg.measure(bench, load, length);
    }
  }

  /**
   * The cost phase (posts timed until stored, each process's CPU over that span, nothing else reading), then, once
   * its backlog is stored, the freshness phase: the same load for as long again with the {@link FreshnessProbe}
   * alongside, whose reads (ten a second through the gateway, and its own lookups in InfluxDB) are its own cost and
   * not the history's, so they are kept out of the phase whose rate and CPU are compared.
   */
  private Result measure(BenchStack bench, LoadGenerator load, Duration length) throws Exception {
    EndToEnd.Tracker tracker = new EndToEnd.Tracker(bench, CATEGORY);
    StackCpu cpu = StackCpu.read(bench);
    WorkerBatches batches = WorkerBatches.read(bench);
    Run posts = load.saturate(phase("timed"), IngestBenchmark.bodies(CATEGORY, BATCH, 60), BATCH, inFlight, length);
    EndToEnd endToEnd = tracker.awaitAll(posts, Duration.ofMinutes(5));
    StackCpu spent = StackCpu.read(bench).since(cpu);
    WorkerBatches written = WorkerBatches.read(bench).since(batches);
    long stored = IngestBenchmark.stored(bench, CATEGORY);
    FreshnessProbe probe = new FreshnessProbe(bench, history);
    Run probed = load.saturate(phase("probed"), IngestBenchmark.bodies(PROBED, BATCH, 60), BATCH, inFlight, length,
        probe);
    IngestBenchmark.awaitStored(bench, PROBED, probed.acceptedEvents());
    probe.finish(Duration.ofSeconds(30));
    return new Result(number, history, posts, endToEnd, spent, written, probe.check(), stored, loadAverage(),
        (System.nanoTime() - startedNanos) / 1e9);
  }

  private String phase(String name) {
    return "100-event batches, " + inFlight + " in flight, history " + (history ? "on" : "off") + ", " + name;
  }

  /** The machine's load averages over 1, 5 and 15 minutes: what else ran beside the leg. */
  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return String.join(" ", fields[0], fields[1], fields[2]);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
