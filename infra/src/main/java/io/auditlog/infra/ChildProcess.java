package io.auditlog.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process this project started, with its output in a log file, stopped by process id: first the given signal,
 * then, after the grace period, SIGKILL.
 */
public final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final String stopSignal;

  private ChildProcess(String name, Process process, Path log, String stopSignal) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.stopSignal = stopSignal;
  }

  /** Starts {@code command} with its standard output and error appended to {@code log}. */
  public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log,
      String stopSignal) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(env);
      return new ChildProcess(name, builder.start(), log, stopSignal);
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The last lines of the log, for error messages when the process dies or never becomes ready. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Sends the stop signal, waits up to {@code grace}, then kills. Returns once the process is gone. */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    Signals.send(process.pid(), stopSignal);
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL, as a crash would end it; returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(20));
  }

  /** Completes with the exit status once the process ends (137 after SIGKILL). */
  public CompletableFuture<Integer> exit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  public int exitCode() {
    return process.exitValue();
  }

  /** Blocks until the process exits or the timeout passes; true when it exited. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
