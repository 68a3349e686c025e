package io.auditlog.infra;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals by process id (Java itself can only send SIGTERM and SIGKILL). */
final class Signals {

  private Signals() {
  }

  static void send(long pid, String signal) {
    if ("TERM".equals(signal)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
