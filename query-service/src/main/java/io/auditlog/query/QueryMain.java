package io.auditlog.query;

import io.auditlog.web.ServiceMain;
import io.auditlog.web.Settings;

/** Entry point: {@code java -jar query-service.jar}, configured by environment variables (see README). */
public final class QueryMain {

  private QueryMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("query-service",
        metrics -> new QueryVerticle(QueryConfig.from(Settings.fromEnvironment()), metrics));
  }
}
