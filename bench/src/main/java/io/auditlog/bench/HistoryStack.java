package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One mode of {@link HistoryBenchmark}: a stack of its own with the verifiable history on or off, kept for the whole
 * run. It warms up first ({@link #WARM_UP} of each load it will be timed under, until stored), so that its JVMs have
 * compiled the paths before any window is timed; then it is timed in windows ({@link #window}), from the first event
 * sent until InfluxDB holds them all ({@link EndToEnd}), with each process's CPU time and the worker's batches over
 * that span; and at the end the gateway's load again with the {@link FreshnessProbe} alongside ({@link #probe}),
 * whose reads are not the history's cost and so are kept out of the windows.
 *
 * <p>A window's load is one of two ({@link Load}). Through the gateway it is a closed loop, a fixed number of
 * requests in flight: the gateway takes as many as it can, so what it accepts is what is offered. Offered at 20,000
 * events/s on this machine, beyond what it stores, a fixed rate queued hundreds of requests at the gateway until
 * Kafka's acknowledgements took longer than its publish timeout, and up to a third of the requests failed with 503
 * (their events stored all the same, uncounted). Producers writing straight to the ingress topic are an open loop
 * at a fixed rate ({@link DirectOffer}): Kafka takes the whole offer, and the workers store it as fast as they can.
 */
final class HistoryStack implements AutoCloseable {

  static final int BATCH = 100;
  /**
   * Each load's warm-up, per stack. With 30 s, the gateway's and Kafka's CPU per event kept falling for the first
   * five to seven minutes of a stack's life, window after window (the gateway 39 → 23 µs, Kafka 21 → 13 in
   * {@code history-2026-12-04T19-14-40}), while InfluxDB's and the worker's held: the first windows, the slowest of
   * every run and where the least offer always fell, timed JVMs still compiling the paths, which a long-running
   * service has done.
   */
  static final Duration WARM_UP = Duration.ofSeconds(120);
  /** The quiet before each window: what the last window left behind (the other stack's, too) settles. */
  static final Duration SETTLE = Duration.ofSeconds(5);
  /**
   * After {@link #SETTLE}, a window waits until both stacks together use less than this many cores (read over
   * {@link #QUIET_SAMPLE}), for at most {@link #QUIET_MOST}, so that nothing one stack left running (an InfluxDB
   * compacting what earlier windows wrote, a worker draining) is timed with the next window; the stack not timed has
   * its cores during the window reported. In the first run with it, both stacks were below 0.2 cores after the 5 s
   * of every window, and the other stack used 0.05–0.08 cores during each.
   */
  static final double QUIET_CORES = 0.3;
  static final Duration QUIET_SAMPLE = Duration.ofSeconds(2);
  static final Duration QUIET_MOST = Duration.ofSeconds(60);
  /** A window fell behind its offer when it stored, end to end, less than this share of it. */
  static final double BEHIND = 0.95;
  private static final String CATEGORY = "bench_history";

  /** How a window's events arrive. */
  enum Load {
    /** 100-event batches posted to the gateway, a fixed number of requests in flight. */
    GATEWAY,
    /** 100-event records written straight to the ingress topic at a fixed rate. */
    DIRECT;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final boolean history;
  private final int inFlight;
  private final int directOffer;
  private final BenchStack bench;
  private final LoadGenerator load;
  private final DirectOffer direct;
  private final long startedNanos = System.nanoTime();

  private HistoryStack(boolean history, int inFlight, int directOffer, BenchStack bench) {
    this.history = history;
    this.inFlight = inFlight;
    this.directOffer = directOffer;
    this.bench = bench;
    this.load = new LoadGenerator(bench.base, bench.accessKey, inFlight);
    this.direct = new DirectOffer(bench);
  }

  /** What one timed window measured; {@code offered}: the events per second its load offered. */
  record Window(int number, Load load, boolean history, Run posts, double offered, EndToEnd endToEnd, StackCpu cpu,
      WorkerBatches batches, long storedAtEnd, String loadAverage, double secondsSinceStart, Quiet quiet,
      double otherStackCores) {

    /**
     * Whether the stack fell behind the offer: stored end to end at less than {@link #BEHIND} of it. A window that
     * kept up measured the offer, not the stack, and its ratio says nothing of what the history costs.
     */
    boolean behind() {
      return endToEnd.eventsPerSecond() < BEHIND * offered;
    }

    String mode() {
      return mode(history);
    }

    static String mode(boolean history) {
      return history ? "on" : "off";
    }

    /** The CPU microseconds per stored event of the processes whose names start with {@code prefix}. */
    double microsPerEvent(String prefix) {
      return 1000 * cpu.millis().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
          .mapToDouble(e -> e.getValue()).sum() / endToEnd.events();
    }

    ObjectNode json() {
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("window", number);
      json.put("load", load.label());
      json.put("history", mode());
      json.put("seconds_since_stack_start", Math.round(secondsSinceStart));
      json.put("load_average_at_end", loadAverage);
      json.put("waited_for_quiet_seconds", round(quiet.waitedSeconds()));
      json.put("cores_in_use_before", round(quiet.cores()));
      json.put("other_stack_cores_during", round(otherStackCores));
      json.put("offered_events_per_second", Math.round(offered));
      json.put("accepted_events_per_second", Math.round(posts.eventsPerSecond()));
      json.put("fell_behind_offer", behind());
      json.put("failed_requests", posts.failed());
      json.put("request_p99_ms", posts.millis(99));
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
      json.set("samples", endToEnd.samplesJson());
      return json;
    }

    String row() {
      return String.format("%3d %-7s %-7s %9.0f %9.0f %9d %7.1f %9.0f %9.1f %9.1f %9.1f %7d %7.0f %8.1f", number,
          load.label(), mode(), offered, posts.eventsPerSecond(), endToEnd.events(), endToEnd.seconds(),
          endToEnd.eventsPerSecond(),
          microsPerEvent("gateway"), microsPerEvent("ingest-worker"), 1000 * cpu.total() / endToEnd.events(),
          batches.count(), (double) endToEnd.events() / batches.count(), batches.meanMillis());
    }

    static String header() {
      return String.format("%3s %-7s %-7s %9s %9s %9s %7s %9s %9s %9s %9s %7s %7s %8s", "win", "load", "history",
          "offered/s", "accepted/s",
          "events", "seconds", "stored/s", "gateway", "worker us", "all us", "batches", "ev/bat", "batch ms");
    }
  }

  /**
   * Starts the mode's stack; {@code directOffer}: the events per second of the {@link Load#DIRECT} load;
   * {@code javaOptions} as for {@link BenchStack#start}.
   */
  static HistoryStack start(boolean history, int inFlight, int directOffer, String javaOptions) throws Exception {
    return new HistoryStack(history, inFlight, directOffer, BenchStack.start(javaOptions, history));
  }

  /** {@code load}, as the windows are timed under it, for {@link #WARM_UP}, until stored. */
  void warmUp(Load load) throws Exception {
    String category = CATEGORY + "_warmup_" + load.label();
    Offered sent = send(load, "warm-up", category, WARM_UP);
    IngestBenchmark.awaitStored(bench, category, sent.run().acceptedEvents());
  }

  /**
   * After {@link #SETTLE} and the {@link Quiet} of both stacks, sends {@code load} for {@code length} and times it
   * until stored; nothing else reads. {@code other}: the stack not timed, whose CPU meanwhile is reported.
   */
  Window window(int number, Load load, Duration length, HistoryStack other) throws Exception {
    return window(number, "window " + number, CATEGORY + "_" + number, load, length, other);
  }

  /** A window as {@link #window}, numbered 0, that the benchmark does not count: the first after the warm-ups. */
  Window settlingWindow(Load load, Duration length, HistoryStack other) throws Exception {
    return window(0, "settling window", CATEGORY + "_settling_" + load.label(), load, length, other);
  }

  private Window window(int number, String name, String category, Load load, Duration length, HistoryStack other)
      throws Exception {
    Thread.sleep(SETTLE.toMillis());
    Quiet quiet = Quiet.await(List.of(bench, other.bench));
    StackCpu otherBefore = StackCpu.read(other.bench);
    EndToEnd.Tracker tracker = new EndToEnd.Tracker(bench, category);
    StackCpu cpu = StackCpu.read(bench);
    WorkerBatches batches = WorkerBatches.read(bench);
    Offered sent = send(load, name, category, length);
    EndToEnd endToEnd = tracker.awaitAll(sent.run(), Duration.ofMinutes(5));
    StackCpu spent = StackCpu.read(bench).since(cpu);
    WorkerBatches written = WorkerBatches.read(bench).since(batches);
    double otherCores = StackCpu.read(other.bench).since(otherBefore).ofStack() / 1000 / endToEnd.seconds();
    return new Window(number, load, history, sent.run(), sent.eventsPerSecond(), endToEnd, spent, written,
        IngestBenchmark.stored(bench, category), loadAverage(), (System.nanoTime() - startedNanos) / 1e9, quiet,
        otherCores);
  }

  /** How long a window waited for both stacks to go quiet, and the cores they used in the last sample before it. */
  record Quiet(double waitedSeconds, double cores) {

    static Quiet await(List<BenchStack> stacks) throws InterruptedException {
      long started = System.nanoTime();
      while (true) {
        double before = stores(stacks);
        Thread.sleep(QUIET_SAMPLE.toMillis());
        double cores = (stores(stacks) - before) / QUIET_SAMPLE.toMillis();
        double waited = (System.nanoTime() - started) / 1e9;
        if (cores < QUIET_CORES || waited >= QUIET_MOST.toSeconds()) {
          return new Quiet(waited, cores);
        }
      }
    }

    private static double stores(List<BenchStack> stacks) {
      return stacks.stream().mapToDouble(stack -> StackCpu.read(stack).ofStack()).sum();
    }
  }

  private Offered send(Load kind, String name, String category, Duration length) throws InterruptedException {
    List<Buffer> bodies = IngestBenchmark.bodies(category, BATCH, 60);
    return switch (kind) {
      case GATEWAY -> Offered.closedLoop(load.saturate(phase(name), bodies, BATCH, inFlight, length));
      case DIRECT -> direct.offer("100-event records to the ingress topic at " + directOffer + " events/s, history "
          + Window.mode(history) + ", " + name, bodies, BATCH, directOffer, length);
    };
  }

  /** The same load for {@code length} with the {@link FreshnessProbe} alongside, until stored and sampled. */
  FreshnessProbe.Result probe(Duration length) throws Exception {
    String category = CATEGORY + "_probed";
    FreshnessProbe probe = new FreshnessProbe(bench, history);
    Run probed = load.saturate(phase("probed"), IngestBenchmark.bodies(category, BATCH, 60), BATCH, inFlight, length,
        probe);
    IngestBenchmark.awaitStored(bench, category, probed.acceptedEvents());
    probe.finish(Duration.ofSeconds(30));
    return probe.check();
  }

  private String phase(String name) {
    return "100-event batches, " + inFlight + " in flight, history " + Window.mode(history) + ", " + name;
  }

  /** The machine's load averages over 1, 5 and 15 minutes: what else ran beside the window. */
  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return String.join(" ", fields[0], fields[1], fields[2]);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  @Override
  public void close() throws Exception {
    try (BenchStack closing = bench; DirectOffer producer = direct) {
      load.close();
    }
  }
}
