package io.auditlog.infra;

/**
 * A long-running process that the start command keeps alive: its current process, and a way to start it again in
 * place (same folder, ports and settings) after it exited.
 */
public interface Restartable {

  String name();

  /** The process of the current run; a new one after each {@link #startAgain()}. */
  ChildProcess process();

  /** Starts the process again and returns once it is ready; throws {@link IllegalStateException} when it can't. */
  void startAgain();
}
