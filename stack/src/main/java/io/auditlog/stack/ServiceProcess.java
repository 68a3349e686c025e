package io.auditlog.stack;

import io.auditlog.infra.ChildProcess;
import io.auditlog.infra.Readiness;
import io.auditlog.infra.Restartable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One of the project's services run by the start command: a JVM on a fixed port, ready once {@code readyPath}
 * answers 200 ({@code /health} for most; the gateway's health also judges ingestion, which is not its own start).
 */
final class ServiceProcess implements Restartable {

  private static final Duration READY_WITHIN = Duration.ofSeconds(90);

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private final int port;
  private final String readyPath;
  private volatile ChildProcess process;

  private ServiceProcess(String name, List<String> command, Map<String, String> env, Path log, int port,
      String readyPath) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.log = log;
    this.port = port;
    this.readyPath = readyPath;
  }

  static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path log, int port,
      String readyPath) {
    ServiceProcess service = new ServiceProcess(name, command, env, log, port, readyPath);
    service.startAgain();
    return service;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChildProcess process() {
    return process;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void startAgain() {
    process = ChildProcess.start(name, command, env, log, "TERM");
    Readiness.await(process, READY_WITHIN, () -> Readiness.answers(url() + readyPath, 200));
  }
}
