package io.auditlog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far (user + system, from {@code /proc/<pid>/stat}). Divided by the work done in
 * between, it measures a service's cost per event independently of what else the machine is doing, unlike
 * throughput on a shared 2-core box.
 */
final class ProcessCpu {

  /** Linux reports in clock ticks of 1/100 s (USER_HZ). */
  private static final double MILLIS_PER_TICK = 10;

  private ProcessCpu() {
  }

  static double millis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
