package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.model.Json;
import io.auditlog.modsecurity.MlogcClient;
import io.auditlog.modsecurity.Samples;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ModSecurity intake: entries per second through {@code PUT /rpc/auditLogReceiver} from concurrent faithful mlogc
 * clients (one sensor and ingest token each, renumbered copies of S1–S3), and through one back-fill
 * {@code POST /rpc/auditLogReceiver/bulk} of a serial log; each from the first request until every entry is stored,
 * counted through {@code /api/events/count}. The account is a tenant of its own, so its count is the entries alone.
 */
final class ModsecBenchmark {

  private static final List<String> SAMPLES = List.of("S1", "S2", "S3");
  private static final String RECEIVER = "/rpc/auditLogReceiver";

  private final int clients;
  private final int entriesPerClient;
  private final int bulkEntries;
  private final BenchStack bench;
  private final BenchStack.Account account;
  /** Distinct numbers for the renumbered copies across phases. */
  private final AtomicLong numbers = new AtomicLong();

  private ModsecBenchmark(BenchStack bench, BenchStack.Account account, int clients, int entriesPerClient,
      int bulkEntries) {
    this.bench = bench;
    this.account = account;
    this.clients = clients;
    this.entriesPerClient = entriesPerClient;
    this.bulkEntries = bulkEntries;
  }

  /** A new account for the entries; the samples are read from {@code ../shared/data} beside the project root. */
  static ModsecBenchmark start(BenchStack bench, int clients, int entriesPerClient, int bulkEntries)
      throws Exception {
    if (System.getProperty("modsec.samples") == null) {
      System.setProperty("modsec.samples", ProjectLayout.locate().root()
          .resolve("../shared/data/modsecurity-samples.txt").normalize().toString());
    }
    return new ModsecBenchmark(bench, bench.newAccount("benchmodsec"), clients, entriesPerClient, bulkEntries);
  }

  /** One intake's figure: entries stored, and the seconds from the first request until the last was stored. */
  record Figure(long entries, double seconds) {

    double entriesPerSecond() {
      return entries / seconds;
    }

    ObjectNode toJson() {
      return Json.MAPPER.createObjectNode().put("entries", entries).put("seconds", Math.round(seconds * 100) / 100.0)
          .put("entries_per_second", Math.round(entriesPerSecond()));
    }

    String row(String name) {
      return String.format("%-34s %9d %9.1f %10.0f", name, entries, seconds, entriesPerSecond());
    }

    static String header() {
      return String.format("%-34s %9s %9s %10s", "ModSecurity intake, until stored", "entries", "seconds",
          "entries/s");
    }
  }

  /** The receiver's figure, and its answers as the clients saw them (latencies, 200s per second). */
  record Receiver(Figure stored, Run answers) {
  }

  /**
   * The receiver: each client PUTs its entries one after the other and resends one that did not get a 200, as mlogc
   * does; after a warm-up of a tenth as many.
   */
  Receiver receiver() throws Exception {
    List<MlogcClient> sensors = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      sensors.add(new MlogcClient(bench.base + RECEIVER + "?category=bench_modsec", "bench-sensor-" + i,
          ingestToken("bench-sensor-" + i)));
    }
    long before = counted();
    put(sensors, Math.max(1, entriesPerClient / 10), null);
    long warmed = before + (long) clients * Math.max(1, entriesPerClient / 10);
    awaitCounted(warmed);
    Run run = new Run("ModSecurity receiver, " + clients + " mlogc", 1, Duration.ofMinutes(5));
    put(sensors, entriesPerClient, run);
    awaitCounted(warmed + (long) clients * entriesPerClient);
    return new Receiver(new Figure((long) clients * entriesPerClient, (System.nanoTime() - run.startNanos) / 1e9),
        run);
  }

  /** The back-fill: one serial log of {@code bulkEntries} renumbered entries in one POST. */
  Figure bulk() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < bulkEntries; i++) {
      log.append(Samples.renumbered(SAMPLES.get(i % SAMPLES.size()), (int) numbers.incrementAndGet()));
    }
    byte[] body = log.toString().getBytes(StandardCharsets.UTF_8);
    String basic = Base64.getEncoder().encodeToString(("bench-bulk:" + ingestToken("bench-bulk"))
        .getBytes(StandardCharsets.UTF_8));
    long before = counted();
    long started = System.nanoTime();
    BenchStack.send(HttpRequest.newBuilder(URI.create(bench.base + RECEIVER + "/bulk?category=bench_modsec_bulk"))
        .header("Authorization", "Basic " + basic).timeout(Duration.ofMinutes(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    awaitCounted(before + bulkEntries);
    return new Figure(bulkEntries, (System.nanoTime() - started) / 1e9);
  }

  /** Every sensor sends {@code entries} entries on a thread of its own; answers once all were answered 200. */
  private void put(List<MlogcClient> sensors, int entries, Run run) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(sensors.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (MlogcClient sensor : sensors) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < entries; i++) {
            putUntilStored(sensor, (int) numbers.incrementAndGet(), run);
          }
          return null;
        }));
      }
      for (Future<?> sensor : done) {
        sensor.get();
      }
    } finally {
      threads.shutdown();
    }
  }

  private static void putUntilStored(MlogcClient sensor, int number, Run run) throws Exception {
    String name = SAMPLES.get(number % SAMPLES.size());
    byte[] file = Samples.renumberedFile(name, number);
    // S3 is libmodsecurity 3's, whose index lines mlogc refuses: it has none.
    String summary = name.equals("S3") ? "-" : Samples.renumberedSummary(name, number);
    while (true) {
      long sent = System.nanoTime();
      MlogcClient.Answer answer = sensor.put(file, summary);
      if (run != null) {
        run.record(sent, System.nanoTime(), answer.status() == 200);
      }
      if (answer.status() == 200) {
        return;
      }
      if (answer.status() == 409) {
        throw new IllegalStateException("entry refused: " + answer.reason());
      }
      Thread.sleep(1_000);
    }
  }

  private String ingestToken(String sensor) throws Exception {
    return Json.MAPPER.readTree(BenchStack.send(HttpRequest.newBuilder(URI.create(bench.base + "/users/tokens"))
        .header("Authorization", "Bearer " + account.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.createObjectNode().put("name", sensor)
            .set("permissions", Json.MAPPER.createArrayNode().add("ingest")).toString())).build()).body())
        .path("token").asText();
  }

  /** The account's stored events, counted by the query-service. */
  private long counted() throws Exception {
    return Long.parseLong(BenchStack.send(HttpRequest.newBuilder(URI.create(bench.base + "/api/events/count"))
        .header("Authorization", "Bearer " + account.token()).timeout(Duration.ofSeconds(60)).build()).body()
        .strip());
  }

  private void awaitCounted(long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (counted() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("ModSecurity entries: not all " + expected + " were stored in time");
      }
      Thread.sleep(250);
    }
  }
}
