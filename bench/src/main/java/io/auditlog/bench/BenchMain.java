package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code bin/bench queries [--events N] [--iterations N]}: prints a table and writes
 * {@code bench/results/queries-<time>.json}, with the machine it ran on.
 */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("queries")) {
      System.err.println("usage: bin/bench queries [--events N] [--iterations N]");
      System.exit(2);
    }
    int events = option(args, "--events", 1_000_000);
    int iterations = option(args, "--iterations", 200);
    ObjectNode report = new QueryBenchmark(events, iterations).run();
    ObjectNode machine = report.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    report.put("finished_at", Instant.now().toString());
    Path out = Path.of("bench", "results", "queries-" + Instant.now().toString().replace(':', '-') + ".json");
    Files.createDirectories(out.getParent());
    Files.write(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
    System.out.println("\nwritten to " + out);
    System.exit(0);
  }

  private static int option(String[] args, String name, int defaultValue) {
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1].replace("_", "").replace(",", ""));
      }
    }
    return defaultValue;
  }
}
