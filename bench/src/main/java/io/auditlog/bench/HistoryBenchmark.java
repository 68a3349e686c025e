package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What the verifiable history costs ingestion, and how fresh its proofs are (its contract's §9), in one run: legs
 * with the history on and off in turn (on, off, on, off, ...), each on a stack of its own ({@link HistoryLeg}), so
 * that every leg starts from empty stores, a tree at size 0 and cold JITs alike, and no leg inherits another's
 * backlog, InfluxDB compactions or PostgreSQL growth; alternating spreads the machine's drift over both modes. Reports
 * the end-to-end throughput of each mode (the mean of its legs) and their ratio, each process's CPU per stored event
 * in each mode, and the freshness of the sampled events over all legs with the history on, sampled in a phase of
 * each leg after the timed one, so that the probe's own reads are not counted as the history's cost.
 */
final class HistoryBenchmark {

  /** §9: end to end with the history on at least this share of it off, at least this many events/s offered. */
  static final double MIN_RATIO = 0.85;
  static final int MIN_OFFERED = 20_000;
  /** §9: the inclusion proof within this many milliseconds (p99) of the event. */
  static final double MAX_FRESHNESS_P99_MS = 2_000;

  private final int inFlight;
  private final Duration length;
  private final int legs;

  HistoryBenchmark(int inFlight, Duration length, int legs) {
    this.inFlight = inFlight;
    this.length = length;
    this.legs = legs;
  }

  /** {@code javaOptions} as for {@link BenchStack#start}; {@code {service}} in them is prefixed with the leg. */
  ObjectNode run(String javaOptions) throws Exception {
    List<HistoryLeg.Result> results = new ArrayList<>();
    for (int number = 1; number <= legs; number++) {
      boolean history = number % 2 == 1;
      String mode = history ? "on" : "off";
      System.out.printf("%nhistory leg %d of %d: history %s, 100-event batches, %d in flight for %d s%n", number,
          legs, mode, inFlight, length.toSeconds());
      HistoryLeg.Result leg = HistoryLeg.run(number, history, inFlight, length,
          javaOptions.replace("{service}", "leg" + number + "-" + mode + "-{service}"));
      results.add(leg);
      System.out.printf("history %s: %,d events stored in %.1f s = %,.0f events/s (accepted %,.0f/s); worker CPU"
          + " %.1f us per event%n", mode, leg.endToEnd().events(), leg.endToEnd().seconds(),
          leg.endToEnd().eventsPerSecond(), leg.posts().eventsPerSecond(), leg.microsPerEvent("ingest-worker"));
    }
    return summary(results);
  }

  private ObjectNode summary(List<HistoryLeg.Result> results) {
    List<HistoryLeg.Result> on = results.stream().filter(HistoryLeg.Result::history).toList();
    List<HistoryLeg.Result> off = results.stream().filter(r -> !r.history()).toList();
    double ratio = meanRate(on) / meanRate(off);
    Latencies fresh = merged("fresh: stored -> checkpoint covers, on", on, FreshnessProbe.Result::fresh);
    double minAccepted = results.stream().mapToDouble(r -> r.posts().eventsPerSecond()).min().orElse(0);

    System.out.println();
    System.out.println(HistoryLeg.Result.header());
    results.forEach(r -> System.out.println(r.row()));
    System.out.println();
    System.out.printf("%-20s %12s %12s%n", "CPU us per event", "history on", "history off");
    for (String process : processes(results)) {
      System.out.printf("%-20s %12.1f %12.1f%n", process, microsPerEvent(on, process), microsPerEvent(off, process));
    }
    System.out.println();
    System.out.println(Latencies.header());
    System.out.println(fresh.row());
    System.out.println(merged("visible: POST answered -> stored, on", on, FreshnessProbe.Result::visible).row());
    System.out.println(merged("visible: POST answered -> stored, off", off, FreshnessProbe.Result::visible).row());
    System.out.println(merged("checked after: /api/events/get", results, FreshnessProbe.Result::gets).row());
    System.out.println(merged("checked after: inclusion proof", on, FreshnessProbe.Result::proofs).row());
    int mismatches = results.stream().mapToInt(r -> r.probe().checkMismatches()).sum();
    System.out.printf("checked through the API after each leg: %d not as read from the store%n", mismatches);
    System.out.printf("%nend to end: history on %,.0f events/s, off %,.0f events/s: on/off = %.3f (at least %.2f: %s);"
        + " freshness p99 %.0f ms (at most %.0f: %s); least accepted %,.0f events/s (offered at least %,d: %s)%n",
        meanRate(on), meanRate(off), ratio, MIN_RATIO, verdict(ratio >= MIN_RATIO), fresh.millis(99),
        MAX_FRESHNESS_P99_MS, verdict(fresh.millis(99) <= MAX_FRESHNESS_P99_MS), minAccepted, MIN_OFFERED,
        verdict(minAccepted >= MIN_OFFERED));

    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("requests_in_flight", inFlight);
    json.put("events_per_request", HistoryLeg.BATCH);
    json.put("least_accepted_events_per_second", Math.round(minAccepted));
    json.put("seconds_per_leg", length.toSeconds());
    json.put("warm_up_seconds_per_leg", HistoryLeg.WARM_UP.toSeconds());
    json.put("warm_up_events_per_second", HistoryLeg.WARM_UP_EVENTS_PER_SECOND);
    json.put("freshness_poll_ms", FreshnessProbe.POLL.toMillis());
    json.put("ratio_on_off", Math.round(ratio * 1000) / 1000.0);
    ArrayNode pairs = json.putArray("ratio_on_off_per_pair");
    for (int i = 0; i + 1 < results.size(); i += 2) {
      pairs.add(Math.round(1000 * results.get(i).endToEnd().eventsPerSecond()
          / results.get(i + 1).endToEnd().eventsPerSecond()) / 1000.0);
    }
    json.set("on", mode(on, results));
    json.set("off", mode(off, results));
    json.set("freshness", fresh.toJson());
    json.put("api_check_mismatches", mismatches);
    ObjectNode section9 = json.putObject("section_9");
    section9.put("ratio_met", ratio >= MIN_RATIO);
    section9.put("freshness_met", fresh.millis(99) <= MAX_FRESHNESS_P99_MS);
    section9.put("offered_met", minAccepted >= MIN_OFFERED);
    ArrayNode legJson = json.putArray("legs");
    results.forEach(r -> legJson.add(r.json()));
    return json;
  }

  private static ObjectNode mode(List<HistoryLeg.Result> legs, List<HistoryLeg.Result> all) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("events_per_second", Math.round(meanRate(legs)));
    ArrayNode each = json.putArray("events_per_second_per_leg");
    legs.forEach(r -> each.add(Math.round(r.endToEnd().eventsPerSecond())));
    ObjectNode micros = json.putObject("cpu_us_per_event");
    processes(all).forEach(p -> micros.put(p, Math.round(microsPerEvent(legs, p) * 10) / 10.0));
    return json;
  }

  private static double meanRate(List<HistoryLeg.Result> legs) {
    return legs.stream().mapToDouble(r -> r.endToEnd().eventsPerSecond()).average().orElse(Double.NaN);
  }

  /** The processes' CPU over all the legs, per event stored in them; "all" is every process together. */
  private static double microsPerEvent(List<HistoryLeg.Result> legs, String process) {
    double millis = legs.stream().mapToDouble(r -> process.equals("all") ? r.cpu().total()
        : r.cpu().millis().getOrDefault(process, Double.NaN)).sum();
    return 1000 * millis / legs.stream().mapToLong(r -> r.endToEnd().events()).sum();
  }

  private static Set<String> processes(List<HistoryLeg.Result> legs) {
    Set<String> names = new LinkedHashSet<>();
    legs.forEach(r -> names.addAll(r.cpu().millis().keySet()));
    names.add("all");
    return names;
  }

  private static Latencies merged(String name, List<HistoryLeg.Result> legs,
      Function<FreshnessProbe.Result, Latencies> which) {
    Latencies merged = new Latencies(name);
    legs.forEach(r -> merged.add(which.apply(r.probe())));
    return merged;
  }

  private static String verdict(boolean met) {
    return met ? "met" : "NOT met";
  }
}
