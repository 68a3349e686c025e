package io.auditlog.gateway;

import io.auditlog.gateway.storage.GatewaySchema;
import io.auditlog.web.MigrateCommand;
import io.auditlog.web.ServiceMain;
import io.auditlog.web.Settings;

/**
 * Entry point: {@code java -jar gateway.jar}, configured by environment variables (see README); with the argument
 * {@code migrate}, applies the gateway's schema and grants as its owner and exits ({@link MigrateCommand}).
 */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) {
    if (MigrateCommand.requested(args)) {
      MigrateCommand.run("gateway", () -> GatewaySchema.migrateAndGrant(Settings.fromEnvironment()));
      return;
    }
    ServiceMain.run("gateway",
        metrics -> new GatewayVerticle(GatewayConfig.from(Settings.fromEnvironment()), metrics));
  }
}
