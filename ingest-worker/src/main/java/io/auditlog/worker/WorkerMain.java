package io.auditlog.worker;

import io.auditlog.web.ServiceMain;
import io.auditlog.web.Settings;

/** Entry point: {@code java -jar ingest-worker.jar}, configured by environment variables (see README). */
public final class WorkerMain {

  private WorkerMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("ingest-worker",
        metrics -> new WorkerVerticle(WorkerConfig.from(Settings.fromEnvironment()), metrics));
  }
}
