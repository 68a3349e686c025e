package io.auditlog.gateway;

import io.auditlog.web.ServiceMain;
import io.auditlog.web.Settings;

/** Entry point: {@code java -jar gateway.jar}, configured by environment variables (see README). */
public final class GatewayMain {

  private GatewayMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("gateway",
        metrics -> new GatewayVerticle(GatewayConfig.from(Settings.fromEnvironment()), metrics));
  }
}
