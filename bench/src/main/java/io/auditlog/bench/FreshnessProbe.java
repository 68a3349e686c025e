package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventStamper;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.read.SeriesKey;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How soon an event's inclusion proof follows the event (the verifiable history's §9 freshness), sampled under the
 * load. From an accepted batch every {@link #SAMPLE_INTERVAL}, the first of its events to be stored is followed.
 * Every {@link #POLL} (a tick) the probe looks, as InfluxDB's admin, for the batch's points in the trail index (one
 * series per lookup: the bucket of the batch's {@code event_id}, within the milliseconds its id names), all samples
 * in one request; the first point found names the event's own series and time, which the probe then reads (one
 * series again) until the event's point is there: from then on {@code /api/events/get} returns the event (visible),
 * and the point gives its {@code seq}. With the history on, each tick then reads the tenant's latest checkpoint
 * through the gateway ({@code /audit/<tenant>/checkpoint}), once for all samples: the inclusion proof answers 200 as
 * soon as a checkpoint covers the seq (size > seq), so the freshness is the time from the answer showing the point
 * to the first checkpoint answer covering it. With the history off only the first part runs, so both modes carry the
 * same reads.
 *
 * <p>The probe does not poll {@code /api/events/get} and {@code /proof/inclusion} themselves: both find an event by
 * its id, a field, by scanning the tenant's events within 5 s of the id's time. With 50,000 events in those 10 s that
 * is about 0.1 s of InfluxDB's CPU per request, and 0.75 s for an id not stored yet (the get then scans again for a
 * ModSecurity unique id): polled every 50 ms for hundreds of samples they would swamp the store being measured. A
 * lookup by id within one millisecond is no better, as it still visits every series of the category (about 0.1 s a
 * statement under this load). After the phase, {@link #check} requests both endpoints for some samples and checks
 * that they answer 200 with the seq read here.
 *
 * <p>A batch answered late in a phase is stored only once the worker has worked off the backlog before it, many
 * seconds later. So a sample is first looked for once the events the worker has written in the phase (its
 * {@code auditlog_events_written}, read every {@link #GATE_READ_EVERY} ticks) come within {@link #GATE_MARGIN} of the
 * events accepted before its batch was sent. Those were all in Kafka before it (one tenant, one partition), and the
 * worker places a partition's records in order with two writers and counts a batch once written, so the sample cannot
 * be stored before that count reaches that many less two of the worker's batches (its own, and one whose write may
 * still be under way) and what the count's last reading missed. A sample stored at its very first look may have been
 * so before: they are counted ({@code visible_at_first_poll}), and should stay at zero.
 */
final class FreshnessProbe implements LoadGenerator.AcceptedAnswers {

  static final Duration POLL = Duration.ofMillis(100);
  static final Duration SAMPLE_INTERVAL = Duration.ofMillis(400);
  static final int GATE_READ_EVERY = 5;
  /**
   * Two worker batches (at most {@code AUDIT_BATCH_SIZE} = 5,000 records, and the gateway publishes each event as a
   * record of its own) and what the worker writes between two readings of its count, with room to spare.
   */
  static final long GATE_MARGIN = 20_000;
  /** How many samples {@link #check} requests through the API. */
  static final int CHECKED = 10;
  /**
   * Checkpoint reads before the phase, with the history on: each leg's services start cold, and the first reads of a
   * fresh query-service took up to 3 s on a loaded machine, which timed the JIT rather than the signer.
   */
  static final int WARM_UP_READS = 50;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final BenchStack bench;
  private final boolean history;
  private final String database;
  private final long writtenBefore;
  private final AtomicLong lastSampleNanos = new AtomicLong(System.nanoTime() - SAMPLE_INTERVAL.toNanos());
  private final Queue<Sample> arrived = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "freshness-probe");
    thread.setDaemon(true);
    return thread;
  });
  // Touched by the ticker's thread only, and read after it has stopped.
  private final List<Sample> open = new ArrayList<>();
  private final List<Sample> complete = new ArrayList<>();
  private final Map<String, Integer> failures = new TreeMap<>();
  private final Latencies visible = new Latencies("visible: POST answered -> point stored");
  private final Latencies fresh = new Latencies("fresh: point stored -> checkpoint covers it");
  private final Latencies warmUpReads = new Latencies("checkpoint reads before the phase");
  private volatile int openAfterTick;
  private int samples;
  private int visibleAtFirstPoll;
  private int partialPoints;
  private long written;
  private long statements;
  private long statementNanos;
  private long ticks;
  private long firstTickNanos;
  private long lastTickNanos;
  private long longestTickNanos;
  // What makes a slow sample: the longest checkpoint read (the request through the gateway), and the longest time
  // the checkpoint's size was read unchanged while an event seen stored waited for it (the signer's share).
  private long longestCheckpointReadNanos;
  private long checkpointSize = -1;
  private long checkpointSinceNanos;
  private long longestUnchangedNanos;

  /** One sampled batch, and then the first of its events to be stored. */
  private static final class Sample {
    final String eventId;
    final long gate;
    final long acceptedNanos = System.nanoTime();
    boolean looked;
    long visibleNanos;
    long timestamp;
    SeriesKey series;
    String id;
    long seq = -1;
    long coveredNanos;

    Sample(String eventId, long gate) {
      this.eventId = eventId;
      this.gate = gate;
    }
  }

  /** Samples the answers it is told of from now on. */
  FreshnessProbe(BenchStack bench, boolean history) throws Exception {
    this.bench = bench;
    this.history = history;
    this.database = InfluxNames.database(bench.tenant);
    this.writtenBefore = WorkerBatches.written(bench);
    for (int i = 0; history && i < WARM_UP_READS; i++) {
      long asked = System.nanoTime();
      checkpointSize();
      warmUpReads.record(System.nanoTime() - asked);
    }
    ticker.scheduleAtFixedRate(this::tick, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void accepted(long acceptedBeforeSend, Buffer body) {
    long now = System.nanoTime();
    long last = lastSampleNanos.get();
    if (now - last < SAMPLE_INTERVAL.toNanos() || !lastSampleNanos.compareAndSet(last, now)) {
      return;
    }
    String eventId = Json.parseBody(body.getBytes()).path("event_id").asText("");
    if (!eventId.isEmpty()) {
      arrived.add(new Sample(eventId, acceptedBeforeSend - GATE_MARGIN));
    }
  }

  /** Waits until every sample is complete (or {@code timeout} passed), then stops polling. */
  void finish(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Thread.sleep(2 * POLL.toMillis());
    } while ((!arrived.isEmpty() || openAfterTick > 0) && System.nanoTime() < deadline);
    ticker.shutdownNow();
    ticker.awaitTermination(10, TimeUnit.SECONDS);
  }

  private void tick() {
    long started = System.nanoTime();
    firstTickNanos = ticks == 0 ? started : firstTickNanos;
    lastTickNanos = started;
    for (Sample sample = arrived.poll(); sample != null; sample = arrived.poll()) {
      open.add(sample);
      samples++;
    }
    try {
      if (ticks++ % GATE_READ_EVERY == 0 && !open.isEmpty()) {
        written = WorkerBatches.written(bench) - writtenBefore;
      }
      lookForPoints();
      if (history) {
        lookForCheckpoint();
      }
    } catch (Exception e) {
      failures.merge("tick: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), 1, Integer::sum);
    }
    open.removeIf(sample -> {
      boolean done = sample.visibleNanos != 0 && (!history || sample.coveredNanos != 0);
      if (done) {
        complete.add(sample);
      }
      return done;
    });
    openAfterTick = open.size();
    longestTickNanos = Math.max(longestTickNanos, System.nanoTime() - started);
  }

  /**
   * One request to InfluxDB for the trail index points of the samples not yet found whose gate is open, then one for
   * the own points (id and seq) of those found in the index: an event is visible once its own point is there with its
   * id and seq. InfluxDB keeps each field of a series apart, so a write may show one series, or one field, before
   * another; a point seen without either is counted ({@code partial_points}) and looked for again.
   */
  private void lookForPoints() {
    List<Sample> due = open.stream().filter(s -> s.series == null && written >= s.gate).toList();
    if (!due.isEmpty()) {
      JsonNode results = timed(due.stream().map(this::trailPoint).toList());
      for (int i = 0; i < due.size(); i++) {
        Sample sample = due.get(i);
        JsonNode row = results.path(i).path("series").path(0).path("values").path(0);
        if (row.isArray()) {
          sample.timestamp = row.path(0).asLong();
          sample.series = SeriesKey.parse(row.path(1).asText());
          visibleAtFirstPoll += sample.looked ? 0 : 1;
        }
        sample.looked = true;
      }
    }
    List<Sample> found = open.stream().filter(s -> s.series != null && s.visibleNanos == 0).toList();
    if (found.isEmpty()) {
      return;
    }
    JsonNode points = timed(found.stream().map(this::eventPoint).toList());
    long now = System.nanoTime();
    for (int i = 0; i < found.size(); i++) {
      Sample sample = found.get(i);
      JsonNode row = points.path(i).path("series").path(0).path("values").path(0);
      if (row.isArray() && (!row.path(1).isTextual() || history && !row.path(2).isNumber())) {
        partialPoints++;
      } else if (row.isArray()) {
        sample.visibleNanos = now;
        sample.id = row.path(1).asText();
        sample.seq = row.path(2).asLong(-1);
        visible.record(now - sample.acceptedNanos);
      }
    }
  }

  /** Runs the statements in one request, counting them and the time they took; their results. */
  private JsonNode timed(List<InfluxQl> queries) {
    long asked = System.nanoTime();
    JsonNode results = bench.stack.backing().influx().execute(InfluxQl.batch(queries)).path("results");
    statements += queries.size();
    statementNanos += System.nanoTime() - asked;
    return results;
  }

  /**
   * The first stored point of the sample's batch in the trail index: its time and the series of the event's own
   * point. The batch's timestamps fall in the millisecond its {@code event_id} (a UUIDv7) names, or, when the
   * gateway's clock turned in between, next to it.
   */
  private InfluxQl trailPoint(Sample sample) {
    long millis = EventStamper.epochMillisOf(sample.eventId);
    return InfluxQl.sql("SELECT ").then(InfluxQl.identifier(InfluxNames.FIELD_SERIES)).then(" FROM ")
        .then(InfluxQl.identifier(database)).then("..").then(InfluxQl.identifier(InfluxNames.TRAILS))
        .then(" WHERE ").then(InfluxQl.identifier(InfluxNames.TAG_TRAIL_BUCKET)).then(" = ")
        .then(InfluxQl.string(InfluxNames.trailBucket(sample.eventId))).then(" AND ")
        .then(InfluxQl.identifier(InfluxNames.FIELD_EVENT_ID)).then(" = ").then(InfluxQl.string(sample.eventId))
        .then(" AND time >= ").then(InfluxQl.integer((millis - 2) * 1_000_000))
        .then(" AND time < ").then(InfluxQl.integer((millis + 2) * 1_000_000)).then(" LIMIT 1");
  }

  /** The id and seq of the sample's stored event: its own series, at its time. */
  private InfluxQl eventPoint(Sample sample) {
    InfluxQl query = InfluxQl.sql("SELECT ").then(InfluxQl.identifier(InfluxNames.FIELD_ID)).then(", ")
        .then(InfluxQl.identifier(InfluxNames.FIELD_SEQ)).then(" FROM ")
        .then(InfluxQl.identifier(database)).then("..").then(InfluxQl.identifier(sample.series.measurement()))
        .then(" WHERE time = ").then(InfluxQl.integer(sample.timestamp));
    for (Map.Entry<String, String> tag : sample.series.tags().entrySet()) {
      query = query.then(" AND ").then(InfluxQl.identifier(tag.getKey())).then(" = ")
          .then(InfluxQl.string(tag.getValue()));
    }
    return query;
  }

  /** One checkpoint read for every visible sample not yet covered; a covered sample is complete. */
  private void lookForCheckpoint() {
    List<Sample> uncovered = open.stream().filter(s -> s.seq >= 0 && s.coveredNanos == 0).toList();
    if (uncovered.isEmpty()) {
      checkpointSize = -1;
      return;
    }
    long asked = System.nanoTime();
    long size = checkpointSize();
    long now = System.nanoTime();
    longestCheckpointReadNanos = Math.max(longestCheckpointReadNanos, now - asked);
    if (size != checkpointSize) {
      checkpointSize = size;
      checkpointSinceNanos = now;
    }
    longestUnchangedNanos = Math.max(longestUnchangedNanos, now - checkpointSinceNanos);
    for (Sample sample : uncovered) {
      if (size > sample.seq) {
        sample.coveredNanos = now;
        fresh.record(now - sample.visibleNanos);
      }
    }
  }

  private long checkpointSize() {
    HttpResponse<String> answer = get("/audit/" + bench.tenant + "/checkpoint");
    if (answer.statusCode() != 200) {
      failures.merge("checkpoint " + answer.statusCode(), 1, Integer::sum);
      return -1;
    }
    return Long.parseLong(answer.body().lines().skip(1).findFirst().orElse("-1"));
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(bench.base + path))
          .header("Authorization", "Bearer " + bench.token).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * After {@link #finish}: up to {@link #CHECKED} complete samples requested through the gateway, the event with
   * {@code /api/events/get} and, with the history on, its inclusion proof, each expected to answer 200 (the proof
   * with the seq read from InfluxDB). Their latencies, on a machine no longer loaded, are what each request adds.
   */
  Result check() {
    Latencies gets = new Latencies("/api/events/get, after the phase");
    Latencies proofs = new Latencies("inclusion proof, after the phase");
    int mismatches = 0;
    for (int i = 0; i < complete.size(); i += Math.max(1, complete.size() / CHECKED)) {
      Sample sample = complete.get(i);
      long started = System.nanoTime();
      int status = get("/api/events/get?id=" + sample.id).statusCode();
      gets.record(System.nanoTime() - started);
      String wrong = status == 200 ? "" : "get " + status;
      if (history) {
        started = System.nanoTime();
        HttpResponse<String> proof = get("/audit/" + bench.tenant + "/proof/inclusion?id=" + sample.id);
        proofs.record(System.nanoTime() - started);
        long seq = Json.parseBody(proof.body().getBytes(StandardCharsets.UTF_8)).path("seq").asLong(-1);
        wrong += proof.statusCode() != 200 ? " inclusion proof " + proof.statusCode()
            : seq != sample.seq ? " inclusion proof of another seq" : "";
      }
      if (!wrong.isEmpty()) {
        mismatches++;
        failures.merge("checked: " + wrong.trim(), 1, Integer::sum);
      }
    }
    double interval = ticks < 2 ? Double.NaN : (lastTickNanos - firstTickNanos) / 1e6 / (ticks - 1);
    double perStatement = statements == 0 ? Double.NaN : statementNanos / 1e6 / statements;
    return new Result(history, samples, samples - complete.size(), visibleAtFirstPoll, partialPoints, interval,
        longestTickNanos / 1e6, warmUpReads, longestCheckpointReadNanos / 1e6, longestUnchangedNanos / 1e6,
        statements, perStatement, Map.copyOf(failures), visible, fresh, gets, proofs, mismatches);
  }

  /** What the probe measured, and the API requests checked after the phase. */
  record Result(boolean history, int samples, int unfinished, int visibleAtFirstPoll, int partialPoints,
      double meanPollMillis, double longestTickMillis, Latencies warmUpReads, double longestCheckpointReadMillis,
      double longestUnchangedCheckpointMillis, long statements, double millisPerStatement,
      Map<String, Integer> failures, Latencies visible, Latencies fresh, Latencies gets, Latencies proofs, int checkMismatches) {

    ObjectNode json() {
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("samples", samples);
      json.put("unfinished", unfinished);
      json.put("visible_at_first_poll", visibleAtFirstPoll);
      json.put("partial_points", partialPoints);
      json.put("mean_poll_interval_ms", Math.round(meanPollMillis * 10) / 10.0);
      json.put("longest_tick_ms", Math.round(longestTickMillis));
      if (history) {
        json.set("warm_up_checkpoint_reads", warmUpReads.toJson());
        json.put("longest_checkpoint_read_ms", Math.round(longestCheckpointReadMillis));
        json.put("longest_unchanged_checkpoint_ms", Math.round(longestUnchangedCheckpointMillis));
      }
      json.put("store_statements", statements);
      json.put("store_ms_per_statement", Math.round(millisPerStatement * 100) / 100.0);
      failures.forEach(json.putObject("failures")::put);
      json.set("visible", visible.toJson());
      if (history) {
        json.set("fresh", fresh.toJson());
      }
      ObjectNode checked = json.putObject("checked_through_the_api");
      checked.put("mismatches", checkMismatches);
      checked.set("get", gets.toJson());
      if (history) {
        checked.set("inclusion_proof", proofs.toJson());
      }
      return json;
    }
  }
}
