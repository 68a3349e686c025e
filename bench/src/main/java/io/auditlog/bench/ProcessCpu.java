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
    long ticks = ticks(pid, false);
    return ticks < 0 ? Double.NaN : ticks * MILLIS_PER_TICK;
  }

  /**
   * The process's CPU time with that of its descendants: the live ones, and the children it has waited for
   * (PostgreSQL's backends, for instance, are children of its postmaster).
   */
  static double withDescendants(long pid) {
    long ticks = ticks(pid, true);
    if (ticks < 0) {
      return Double.NaN;
    }
    // A descendant that ended since it was listed counts nothing here: its time moves to its parent's waited-for
    // children.
    ticks += ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
        .mapToLong(child -> Math.max(0, ticks(child.pid(), false))).sum();
    return ticks * MILLIS_PER_TICK;
  }

  /** Clock ticks, or -1 when the process is gone. */
  private static long ticks(long pid, boolean waitedForChildren) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return waitedForChildren ? own + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : own;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
