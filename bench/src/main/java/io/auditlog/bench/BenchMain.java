package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.auditlog.stack.StackConfig;
import io.auditlog.store.TagShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bin/bench <ingest|queries|all|soak|ceilings|schema|tenants|history> [options]}: starts the local stack in a
 * scratch folder, measures, prints tables and writes {@code bench/results/<command>-<time>.json} (and a PNG chart for
 * ingest, all and soak), with the machine it ran on. {@code --jfr} records each service with Java Flight Recorder into
 * the results folder. The history's cost ({@code history}, also the end of {@code ingest} and {@code all}) runs on
 * stacks of its own, after the shared one is closed.
 */
public final class BenchMain {

  private static final List<String> COMMANDS = List.of("ingest", "queries", "all", "soak", "ceilings", "schema",
      "tenants", "history");

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !COMMANDS.contains(args[0])) {
      System.err.println("""
          usage: bin/bench ingest   [--raw-events 200000] [--seconds 20] [--rate 2000] [--tenants 1000]
                                    [--events-per-tenant 200] [--in-flight 16] [--windows 8] [--jfr]
                 bin/bench queries  [--events 1000000] [--days 1] [--iterations 200] [--backfill-events 500000]
                                    [--tags 4|8] [--jfr]
                 bin/bench all      (ingest, then queries, on one stack; the options of both)
                 bin/bench soak     [--minutes 10] [--rate 1000]
                 bin/bench ceilings [--raw-events 200000]
                 bin/bench schema   [--events 1000000]
                 bin/bench tenants  [--tenants 1000] [--events-per-tenant 200]
                 bin/bench history  [--in-flight 16] [--seconds 20] [--windows 12] [--direct-offer 40000]
                                    [--loads gateway,direct] [--jfr]
                                    (history on and off: two warm stacks timed in turn, --windows per load;
                                    also run by ingest and all)""");
      System.exit(2);
    }
    String command = args[0];
    String stamp = Instant.now().toString().replace(':', '-');
    Path results = Path.of("bench", "results");
    Files.createDirectories(results);
    String jfr = has(args, "--jfr") ? "-XX:StartFlightRecording=settings=profile,filename="
        + results.toAbsolutePath().resolve(command + "-" + stamp + "-{service}.jfr") : "";
    ObjectNode report = Json.MAPPER.createObjectNode();
    report.put("benchmark", command);
    if (!command.equals("history")) {
      measureOnOneStack(command, args, jfr, stamp, results, report);
    }
    if (List.of("history", "ingest", "all").contains(command)) {
      List<HistoryStack.Load> loads = Arrays.stream(textOption(args, "--loads", "gateway,direct").split(","))
          .map(load -> HistoryStack.Load.valueOf(load.trim().toUpperCase(Locale.ROOT))).distinct().toList();
      report.set("history", new HistoryBenchmark(option(args, "--in-flight", 16),
          Duration.ofSeconds(option(args, "--seconds", 20)), option(args, "--windows", 12),
          option(args, "--direct-offer", HistoryBenchmark.DIRECT_OFFER), loads).run(jfr));
    }
    ObjectNode machine = report.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("cpu", cpuModel());
    machine.put("heaps", "gateway -Xmx512m, ingest-worker -Xmx" + StackConfig.from(System.getenv(), Path.of("."))
        .workerHeapMib() + "m, query-service -Xmx256m");
    report.put("finished_at", Instant.now().toString());
    Path out = results.resolve(command + "-" + stamp + ".json");
    Files.write(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
    System.out.println("\nwritten to " + out);
    System.exit(0);
  }

  /** The commands that measure on the one stack they start. */
  private static void measureOnOneStack(String command, String[] args, String jfr, String stamp, Path results,
      ObjectNode report) throws Exception {
    try (BenchStack bench = BenchStack.start(jfr)) {
      if (command.equals("ingest") || command.equals("all")) {
        IngestBenchmark.Result ingest = new IngestBenchmark(option(args, "--raw-events", 200_000),
            Duration.ofSeconds(option(args, "--seconds", 20)), option(args, "--rate", 2_000), tenants(args))
            .run(bench);
        report.set("ingest", ingest.json());
        Path png = results.resolve(command + "-" + stamp + ".png");
        Charts.write(ingest, png);
        System.out.println("chart: " + png);
      }
      if (command.equals("queries") || command.equals("all")) {
        report.set("queries", new QueryBenchmark(option(args, "--events", 1_000_000), option(args, "--days", 1),
            option(args, "--iterations", 200), option(args, "--backfill-events", 500_000),
            option(args, "--tags", 4) == 8 ? TagShape.EIGHT_TAGS : TagShape.FOUR_TAGS).run(bench));
      }
      if (command.equals("soak")) {
        Path png = results.resolve(command + "-" + stamp + ".png");
        report.set("soak", new SoakBenchmark(Duration.ofMinutes(option(args, "--minutes", 10)),
            option(args, "--rate", 1_000)).run(bench, png));
        System.out.println("chart: " + png);
      }
      if (command.equals("ceilings")) {
        report.set("ceilings", new WriteCeilings(option(args, "--raw-events", 200_000)).run(bench).json());
      }
      if (command.equals("schema")) {
        report.set("schema", new SchemaBenchmark(option(args, "--events", 1_000_000)).run(bench));
      }
      if (command.equals("tenants")) {
        report.set("tenants", tenants(args).run(bench).json());
      }
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static TenantsBenchmark tenants(String[] args) {
    return new TenantsBenchmark(option(args, "--tenants", 1_000), option(args, "--events-per-tenant", 200));
  }

  private static boolean has(String[] args, String flag) {
    return List.of(args).contains(flag);
  }

  private static int option(String[] args, String name, int defaultValue) {
    return Integer.parseInt(textOption(args, name, Integer.toString(defaultValue)).replace("_", "").replace(",", ""));
  }

  private static String textOption(String[] args, String name, String defaultValue) {
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return defaultValue;
  }
}
