package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.ChildProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The most heap each service had in use while something ran, from one {@code jstat -gc <pid> <ms>} per service that
 * prints a line per interval. One process per service for the whole watch, not one per sample: each {@code jstat}
 * is a JVM, and starting three of them every half second took most of a core from what was being measured.
 */
final class HeapWatch implements AutoCloseable {

  /** Survivor, eden and old generation in use, and the old generation alone, in MiB, from {@code jstat -gc}. */
  record Heap(double inUseMiB, double oldMiB) {

    static Heap of(String header, String line) {
      List<String> names = List.of(header.trim().split("\\s+"));
      String[] values = line.trim().split("\\s+");
      double inUse = 0;
      for (String column : List.of("S0U", "S1U", "EU", "OU")) {
        inUse += Double.parseDouble(values[names.indexOf(column)]) / 1024;
      }
      return new Heap(inUse, Double.parseDouble(values[names.indexOf("OU")]) / 1024);
    }
  }

  private final List<Process> watchers = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();
  private final Map<String, Heap> most = new ConcurrentHashMap<>();

  HeapWatch(List<ChildProcess> services, int intervalMillis) throws IOException {
    for (ChildProcess service : services) {
      Process jstat = new ProcessBuilder(jstat(), "-gc", Long.toString(service.pid()), Integer.toString(intervalMillis))
          .redirectErrorStream(true).start();
      watchers.add(jstat);
      Thread reader = new Thread(() -> follow(service.name(), jstat), "heap-" + service.name());
      reader.start();
      readers.add(reader);
    }
  }

  static String jstat() {
    return Path.of(System.getProperty("java.home"), "bin", "jstat").toString();
  }

  private void follow(String service, Process jstat) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
        StandardCharsets.US_ASCII))) {
      String header = lines.readLine();
      for (String line = lines.readLine(); header != null && line != null; line = lines.readLine()) {
        Heap heap = Heap.of(header, line);
        most.merge(service, heap, (a, b) -> new Heap(Math.max(a.inUseMiB(), b.inUseMiB()),
            Math.max(a.oldMiB(), b.oldMiB())));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("jstat stopped for " + service + ": " + e.getMessage());
    }
  }

  /** Puts the most heap in use and the most old generation of each service seen so far into the report. */
  void report(ObjectNode heap, ObjectNode old) {
    most.forEach((service, max) -> {
      heap.put(service, Math.round(max.inUseMiB() * 10) / 10.0);
      old.put(service, Math.round(max.oldMiB() * 10) / 10.0);
    });
  }

  @Override
  public void close() throws InterruptedException {
    watchers.forEach(Process::destroy);
    for (Thread reader : readers) {
      reader.join(5_000);
    }
  }
}
