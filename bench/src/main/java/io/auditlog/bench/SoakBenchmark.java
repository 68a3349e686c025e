package io.auditlog.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.ChildProcess;
import io.auditlog.model.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A long run at a steady rate, with reads alongside, watching each service's memory: the heap in use after each
 * sample (from {@code jstat}) and the resident size of the process (from {@code /proc}). A leak shows as a floor that
 * keeps rising; a bounded service saws up and down under its {@code -Xmx}.
 */
final class SoakBenchmark {

  private final Duration length;
  private final int rate;

  SoakBenchmark(Duration length, int rate) {
    this.length = length;
    this.rate = rate;
  }

  /** One reading of one process. */
  record Sample(double second, String service, double heapMiB, double oldMiB, double rssMiB) {
  }

  ObjectNode run(BenchStack bench, Path png) throws Exception {
    List<Sample> samples = new ArrayList<>();
    long start = System.nanoTime();
    Thread sampler = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          for (ChildProcess service : bench.stack.services()) {
            samples.add(read(service, (System.nanoTime() - start) / 1e9));
          }
          Thread.sleep(10_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "memory-sampler");
    Thread reader = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          bench.get("/audit/log?category=bench_soak&app=shop&start=10m");
          bench.get("/api/events/count?filter=" + URLEncoder.encode("method = POST",
              StandardCharsets.UTF_8));
          Thread.sleep(1_000);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          System.err.println("read failed: " + e.getMessage());
        }
      }
    }, "reader");
    sampler.start();
    reader.start();
    Run run;
    try (LoadGenerator load = new LoadGenerator(bench.base, bench.accessKey, 512)) {
      // Cold JVMs answer in seconds for the first quarter minute; that is start-up, not the steady state.
      load.fixedRate("warm-up", IngestBenchmark.bodies("bench_warmup", 1, 500), 1, rate, Duration.ofSeconds(30));
      run = load.fixedRate("single events at " + rate + " req/s for " + length.toMinutes() + " min",
          IngestBenchmark.bodies("bench_soak", 1, 2_000), 1, rate, length);
    } finally {
      reader.interrupt();
      sampler.interrupt();
      sampler.join();
      reader.join();
    }
    System.out.println(Run.header());
    System.out.println(run.row());
    ObjectNode report = Json.MAPPER.createObjectNode();
    report.set("load", run.toJson());
    ObjectNode memory = report.putObject("memory");
    Map<String, List<Sample>> byService = new LinkedHashMap<>();
    samples.forEach(s -> byService.computeIfAbsent(s.service(), k -> new ArrayList<>()).add(s));
    System.out.printf("%n%-16s %14s %14s %14s %14s%n", "service", "heap first min", "heap last min",
        "old gen first", "old gen last");
    byService.forEach((service, list) -> {
      ObjectNode entry = memory.putObject(service);
      ArrayNode series = entry.putArray("samples");
      list.forEach(s -> series.addObject().put("second", Math.round(s.second())).put("heap_mib", s.heapMiB())
          .put("old_gen_mib", s.oldMiB()).put("rss_mib", s.rssMiB()));
      Sample first = list.get(Math.min(list.size() - 1, 6));
      Sample last = list.get(list.size() - 1);
      entry.put("old_gen_mib_after_1_min", first.oldMiB());
      entry.put("old_gen_mib_at_end", last.oldMiB());
      entry.put("max_heap_mib", list.stream().mapToDouble(Sample::heapMiB).max().orElse(0));
      entry.put("max_rss_mib", list.stream().mapToDouble(Sample::rssMiB).max().orElse(0));
      System.out.printf("%-16s %14.1f %14.1f %14.1f %14.1f%n", service,
          list.stream().limit(6).mapToDouble(Sample::heapMiB).max().orElse(0),
          list.stream().skip(Math.max(0, list.size() - 6)).mapToDouble(Sample::heapMiB).max().orElse(0),
          first.oldMiB(), last.oldMiB());
    });
    chart(byService, png);
    return report;
  }

  private static void chart(Map<String, List<Sample>> byService, Path png) throws IOException {
    XYChart heap = new XYChartBuilder().width(1000).height(400).title("Heap in use per service (MiB)")
        .xAxisTitle("seconds").yAxisTitle("MiB").build();
    XYChart rss = new XYChartBuilder().width(1000).height(400).title("Resident memory per process (MiB)")
        .xAxisTitle("seconds").yAxisTitle("MiB").build();
    byService.forEach((service, list) -> {
      List<Double> x = list.stream().map(Sample::second).toList();
      heap.addSeries(service, x, list.stream().map(Sample::heapMiB).toList()).setMarker(SeriesMarkers.NONE);
      heap.addSeries(service + " old gen", x, list.stream().map(Sample::oldMiB).toList())
          .setMarker(SeriesMarkers.NONE);
      rss.addSeries(service, x, list.stream().map(Sample::rssMiB).toList()).setMarker(SeriesMarkers.NONE);
    });
    BitmapEncoder.saveBitmap(List.of(heap, rss), 2, 1, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** {@code jstat -gc}: survivor, eden and old generation in use; {@code /proc/<pid>/status}: VmRSS. */
  static Sample read(ChildProcess service, double second) {
    double heap = 0;
    double old = 0;
    try {
      Process jstat = new ProcessBuilder(HeapWatch.jstat(), "-gc", Long.toString(service.pid()))
          .redirectErrorStream(true).start();
      List<String> lines = new String(jstat.getInputStream().readAllBytes()).lines().toList();
      jstat.waitFor();
      if (lines.size() >= 2) {
        HeapWatch.Heap read = HeapWatch.Heap.of(lines.get(0), lines.get(1));
        heap = read.inUseMiB();
        old = read.oldMiB();
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("jstat failed for " + service.name() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double rss = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(service.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      System.err.println("no /proc status for " + service.name());
    }
    return new Sample(second, service.name(), Math.round(heap * 10) / 10.0, Math.round(old * 10) / 10.0,
        Math.round(rss * 10) / 10.0);
  }
}
