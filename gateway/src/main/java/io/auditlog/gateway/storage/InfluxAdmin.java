package io.auditlog.gateway.storage;

import io.auditlog.model.InfluxNames;
import io.auditlog.model.InfluxQl;
import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;

/** Administrative statements against InfluxDB's v1 API: a database per tenant, and a liveness probe. */
public final class InfluxAdmin {

  private final WebClient client;
  private final String url;

  public InfluxAdmin(WebClient client, String url) {
    this.client = client;
    this.url = url;
  }

  /** Creates the tenant's database; InfluxDB treats an existing one as success. */
  public Future<Void> createTenantDatabase(String tenant) {
    String statement = "CREATE DATABASE " + InfluxQl.identifier(InfluxNames.database(tenant));
    return client.postAbs(url + "/query").addQueryParam("q", statement).send().compose(response ->
        response.statusCode() == 200 && !response.bodyAsString().contains("\"error\"")
            ? Future.succeededFuture()
            : Future.failedFuture("InfluxDB refused " + statement + ": " + response.bodyAsString()));
  }

  public Future<Void> ping() {
    return client.getAbs(url + "/ping").send().compose(response -> response.statusCode() == 204
        ? Future.succeededFuture()
        : Future.failedFuture("InfluxDB /ping answered " + response.statusCode()));
  }
}
