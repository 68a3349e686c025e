package io.auditlog.worker;

import io.auditlog.web.MigrateCommand;
import io.auditlog.web.ServiceMain;
import io.auditlog.web.Settings;

/**
 * Entry point: {@code java -jar ingest-worker.jar}, configured by environment variables (see README); with the
 * argument {@code migrate}, applies the history's and the counts' schema and grants as their owner and exits
 * ({@link MigrateCommand}). The worker runs without {@code -XX:+ExitOnOutOfMemoryError}, because a poll that runs
 * out of heap on one record is survived ({@link CarefulReads}); every other thread that ends on an error halts the
 * process instead, as that flag would.
 */
public final class WorkerMain {

  private WorkerMain() {
  }

  public static void main(String[] args) {
    if (MigrateCommand.requested(args)) {
      MigrateCommand.run("ingest-worker", () -> WorkerSchema.migrateAndGrant(Settings.fromEnvironment()));
      return;
    }
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
      if (failure instanceof Error) {
        System.err.println("ingest-worker: " + thread.getName() + " ended on " + failure + "; halting");
        Runtime.getRuntime().halt(3);
      }
      System.err.print("Exception in thread \"" + thread.getName() + "\" ");
      failure.printStackTrace();
    });
    ServiceMain.run("ingest-worker",
        metrics -> new WorkerVerticle(WorkerConfig.from(Settings.fromEnvironment()), metrics));
  }
}
