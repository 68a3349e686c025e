package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventCodec;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The write side, in one run on one stack: the raw ceilings of the stores (InfluxDB {@code /write} by 1, 2 and 4
 * writers in each schema candidate's encoding, {@link WriteCeilings}; Kafka produce of the records as the gateway
 * sends them), then the gateway at saturation with single events and with 100-event batches, end-to-end throughput
 * and consumer lag while the batches flow, latency at a fixed offered rate, and many tenants writing at once.
 */
final class IngestBenchmark {

  private static final Duration WARM_UP = Duration.ofSeconds(15);
  /** The ModSecurity intake: faithful mlogc clients, entries each, and the entries of one back-fill. */
  private static final int MODSEC_CLIENTS = 8;
  private static final int MODSEC_ENTRIES_PER_CLIENT = 500;
  private static final int MODSEC_BULK_ENTRIES = 20_000;

  private final int rawEvents;
  private final Duration phase;
  private final int rate;
  private final TenantsBenchmark tenants;

  IngestBenchmark(int rawEvents, Duration phase, int rate, TenantsBenchmark tenants) {
    this.rawEvents = rawEvents;
    this.phase = phase;
    this.rate = rate;
    this.tenants = tenants;
  }

  /** What the run measured, with the time series the chart is drawn from. */
  record Result(ObjectNode json, List<Run> runs, EndToEnd endToEnd) {
  }

  Result run(BenchStack bench) throws Exception {
    ObjectNode report = Json.MAPPER.createObjectNode();
    WriteCeilings.Result ceilings = new WriteCeilings(rawEvents).run(bench);
    double influxRate = ceilings.stored();
    double kafkaRate = rawKafka(bench);
    report.set("raw_influx_ceilings", ceilings.json());
    report.put("raw_influx_events_per_second", Math.round(influxRate));
    report.put("raw_kafka_events_per_second", Math.round(kafkaRate));
    System.out.printf("raw InfluxDB /write, the worker's encoding: %,.0f events/s; raw Kafka produce: %,.0f events/s%n",
        influxRate, kafkaRate);

    List<Run> runs = new ArrayList<>();
    EndToEnd endToEnd;
    try (LoadGenerator load = new LoadGenerator(bench.base, bench.accessKey, 512)) {
      // Until the JIT has compiled the paths, throughput climbs for tens of seconds: warm both up first.
      long warmed = load.saturate("warm-up", bodies("bench_warmup", 1, 500), 1, 64, WARM_UP).acceptedEvents()
          + load.saturate("warm-up", bodies("bench_warmup", 100, 20), 100, 8, WARM_UP).acceptedEvents();
      awaitStored(bench, "bench_warmup", warmed);

      long gateway = bench.stack.services().stream().filter(p -> p.name().equals("gateway")).findFirst()
          .orElseThrow().pid();
      double cpu = ProcessCpu.millis(gateway);
      Run single = load.saturate("single events, saturation", bodies("bench_single", 1, 2_000), 1, 64, phase);
      runs.add(single);
      costPerEvent(report, "gateway_cpu_us_per_event_single", cpu, gateway, single);
      awaitStored(bench, "bench_single", single.acceptedEvents());

      cpu = ProcessCpu.millis(gateway);
      EndToEnd.Tracker tracker = new EndToEnd.Tracker(bench, "bench_batch");
      Run batches = load.saturate("100-event batches, saturation", bodies("bench_batch", 100, 60), 100, 8, phase);
      runs.add(batches);
      costPerEvent(report, "gateway_cpu_us_per_event_batched", cpu, gateway, batches);
      endToEnd = tracker.awaitAll(batches, Duration.ofMinutes(5));
      System.out.printf("end to end: %,d events in %.1f s = %,.0f events/s (%.0f%% of raw InfluxDB)%n",
          endToEnd.events(), endToEnd.seconds(), endToEnd.eventsPerSecond(),
          100 * endToEnd.eventsPerSecond() / influxRate);

      load.fixedRate("warm-up", bodies("bench_warmup", 1, 500), 1, rate, Duration.ofSeconds(5));
      Run fixed = load.fixedRate("single events at " + rate + " req/s", bodies("bench_rate", 1, 2_000), 1, rate,
          phase);
      runs.add(fixed);
      awaitStored(bench, "bench_rate", fixed.acceptedEvents());
    }
    ObjectNode direct = report.putObject("direct_producers_events_per_second");
    direct.put("one_event_per_record", Math.round(direct(bench, 1, rawEvents / 2)));
    direct.put("hundred_events_per_record", Math.round(direct(bench, 100, rawEvents)));
    ModsecBenchmark modsec = ModsecBenchmark.start(bench, MODSEC_CLIENTS, MODSEC_ENTRIES_PER_CLIENT,
        MODSEC_BULK_ENTRIES);
    ModsecBenchmark.Receiver puts = modsec.receiver();
    ModsecBenchmark.Figure receiver = puts.stored();
    runs.add(puts.answers());
    ModsecBenchmark.Figure bulk = modsec.bulk();
    TenantsBenchmark.Result many = tenants.run(bench);
    double single = endToEnd.eventsPerSecond();
    System.out.printf("many tenants end to end: new %,.0f events/s (%.0f%%), in use %,.0f events/s (%.0f%%) of the"
        + " single tenant's %,.0f events/s%n", many.firstEventsPerSecond(), 100 * many.firstEventsPerSecond() / single,
        many.activeEventsPerSecond(), 100 * many.activeEventsPerSecond() / single, single);
    ObjectNode manyJson = report.putObject("many_tenants");
    manyJson.setAll(many.json());
    manyJson.put("first_events_ratio_to_single_tenant", Math.round(1000 * many.firstEventsPerSecond() / single)
        / 1000.0);
    manyJson.put("active_ratio_to_single_tenant", Math.round(1000 * many.activeEventsPerSecond() / single) / 1000.0);
    System.out.println();
    System.out.println(Run.header());
    runs.forEach(r -> System.out.println(r.row()));
    System.out.println();
    System.out.println(ModsecBenchmark.Figure.header());
    System.out.println(receiver.row("receiver, " + MODSEC_CLIENTS + " mlogc clients"));
    System.out.println(bulk.row("bulk back-fill, one POST"));
    ObjectNode entries = report.putObject("modsecurity_entries_per_second");
    entries.set("receiver", receiver.toJson().put("clients", MODSEC_CLIENTS));
    entries.set("bulk", bulk.toJson());

    ArrayNode phases = report.putArray("phases");
    runs.forEach(r -> phases.add(r.toJson()));
    ObjectNode e2e = report.putObject("end_to_end");
    e2e.put("events", endToEnd.events());
    e2e.put("seconds", Math.round(endToEnd.seconds() * 100) / 100.0);
    e2e.put("events_per_second", Math.round(endToEnd.eventsPerSecond()));
    e2e.put("ratio_to_raw_influx", Math.round(1000 * endToEnd.eventsPerSecond() / influxRate) / 1000.0);
    e2e.set("samples", endToEnd.samplesJson());
    return new Result(report, runs, endToEnd);
  }

  /** Records the gateway's CPU microseconds per event accepted in {@code run}, since {@code before}. */
  private static void costPerEvent(ObjectNode report, String key, double before, long pid, Run run) {
    double micros = (ProcessCpu.millis(pid) - before) * 1000 / run.acceptedEvents();
    report.put(key, Math.round(micros * 10) / 10.0);
    System.out.printf("%s: gateway CPU %.1f us per event%n", run.name, micros);
  }

  /**
   * The same records the gateway publishes, with its producer settings, keyed by tenant as it keys them; the first
   * tenth is sent as a warm-up before the clock starts.
   */
  private double rawKafka(BenchStack bench) throws Exception {
    try (Admin admin = Admin.create(bench.stack.backing().kafka().operatorProperties())) {
      admin.createTopics(List.of(new NewTopic("bench.raw", 12, (short) 1))).all().get();
    }
    EventCodec codec = new EventCodec();
    List<byte[]> records = new ArrayList<>();
    SyntheticEvents data = new SyntheticEvents(bench.tenant, Instant.now(), Duration.ofHours(1), rawEvents, 4);
    while (data.hasNext()) {
      data.nextRequest().forEach(event -> records.add(codec.encode(event)));
    }
    AtomicLong failed = new AtomicLong();
    double seconds;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bench), new StringSerializer(),
        new ByteArraySerializer())) {
      produce(producer, records.subList(0, records.size() / 10), bench.tenant, failed);
      long started = System.nanoTime();
      produce(producer, records, bench.tenant, failed);
      seconds = (System.nanoTime() - started) / 1e9;
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " records were not acknowledged");
    }
    return records.size() / seconds;
  }

  /**
   * Producers writing straight to the ingress topic: {@code events} events in records of {@code eventsPerRecord},
   * with the access key in a header and keys spread over the partitions, from the first send until InfluxDB holds
   * them all. The worker authenticates, validates and stamps each record on the way.
   */
  private double direct(BenchStack bench, int eventsPerRecord, int events) throws Exception {
    String category = "bench_direct_" + eventsPerRecord;
    List<Buffer> bodies = bodies(category, eventsPerRecord, 200);
    int records = events / eventsPerRecord;
    byte[] key = bench.accessKey.getBytes(StandardCharsets.UTF_8);
    AtomicLong failed = new AtomicLong();
    long started = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bench), new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < records; i++) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.INGRESS, "producer-" + i % 24,
            bodies.get(i % bodies.size()).getBytes());
        record.headers().add(Topics.API_KEY_HEADER, key);
        producer.send(record, (meta, error) -> {
          if (error != null) {
            failed.incrementAndGet();
          }
        });
      }
      producer.flush();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " direct records were not acknowledged");
    }
    awaitStored(bench, category, (long) records * eventsPerRecord);
    double rate = (double) records * eventsPerRecord / ((System.nanoTime() - started) / 1e9);
    System.out.printf("direct producers, %d event(s) per record: %,d events stored at %,.0f events/s%n",
        eventsPerRecord, (long) records * eventsPerRecord, rate);
    return rate;
  }

  static Properties producerConfig(BenchStack bench) {
    Properties config = new Properties();
    // The operator's login: the raw baseline writes its own topic, which no service principal may.
    config.putAll(bench.stack.backing().kafka().operatorProperties());
    config.putAll(Map.of(        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 2,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, bench.kafkaCompression));
    return config;
  }

  private static void produce(KafkaProducer<String, byte[]> producer, List<byte[]> records, String key,
      AtomicLong failed) {
    for (byte[] record : records) {
      producer.send(new ProducerRecord<>("bench.raw", key, record), (meta, error) -> {
        if (error != null) {
          failed.incrementAndGet();
        }
      });
    }
    producer.flush();
  }

  /** {@code variants} request bodies of {@code size} events each, all in {@code category}. */
  static List<Buffer> bodies(String category, int size, int variants) {
    SyntheticEvents data = new SyntheticEvents("bench", Instant.now(), Duration.ofHours(1),
        size * variants * 2, category.hashCode());
    List<Buffer> bodies = new ArrayList<>();
    List<ObjectNode> pending = new ArrayList<>();
    while (bodies.size() < variants && data.hasNext()) {
      for (StampedEvent event : data.nextRequest()) {
        pending.add(EventCodec.toBody(event.event()).put("category", category));
        if (pending.size() == size) {
          JsonNode body = size == 1 ? pending.get(0) : Json.MAPPER.createArrayNode().addAll(pending);
          bodies.add(Buffer.buffer(body.toString()));
          pending.clear();
        }
      }
    }
    return bodies;
  }

  /** Waits until InfluxDB holds {@code expected} events of the category, so phases do not overlap. */
  static void awaitStored(BenchStack bench, String category, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (stored(bench, category) < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(category + ": not all " + expected + " events were stored in time");
      }
      Thread.sleep(250);
    }
  }

  static long stored(BenchStack bench, String category) {
    JsonNode result = bench.stack.backing().influx().query(InfluxNames.database(bench.tenant),
        "SELECT count(\"id\") FROM \"" + category + "\"");
    return result.path("results").path(0).path("series").path(0).path("values").path(0).path(1).asLong(0);
  }
}
