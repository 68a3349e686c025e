package io.auditlog.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time each process of a bench stack has used so far ({@link ProcessCpu#withDescendants}): the services, the
 * stores (PostgreSQL with its backends) and this process, which generates the load. Two readings give each one's
 * share of the work done in between.
 */
record StackCpu(Map<String, Double> millis) {

  static StackCpu read(BenchStack bench) {
    Map<String, Double> millis = new LinkedHashMap<>();
    bench.stack.services().forEach(service -> millis.put(service.name(), ProcessCpu.withDescendants(service.pid())));
    millis.put("kafka", ProcessCpu.withDescendants(bench.stack.backing().kafka().pid()));
    millis.put("postgres", ProcessCpu.withDescendants(bench.stack.backing().postgres().pid()));
    millis.put("influxdb", ProcessCpu.withDescendants(bench.stack.backing().influx().pid()));
    millis.put("bench", ProcessCpu.millis(ProcessHandle.current().pid()));
    return new StackCpu(millis);
  }

  /** Each process's CPU milliseconds since {@code before}. */
  StackCpu since(StackCpu before) {
    Map<String, Double> spent = new LinkedHashMap<>();
    millis.forEach((process, now) -> spent.put(process, now - before.millis.getOrDefault(process, Double.NaN)));
    return new StackCpu(spent);
  }

  /** The sum over every process. */
  double total() {
    return millis.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The sum over the stack's own processes, without this one's (which loads every stack). */
  double ofStack() {
    return total() - millis.getOrDefault("bench", 0.0);
  }
}
