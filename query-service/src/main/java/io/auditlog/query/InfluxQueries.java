package io.auditlog.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;

/**
 * Runs one InfluxQL statement against a tenant's database over the v1 {@code /query} API, with bound parameters and
 * nanosecond times, and answers the statement's result ({@code results[0]}). A tenant without a database yet has an
 * empty result.
 */
public final class InfluxQueries {

  private final WebClient client;
  private final String url;

  public InfluxQueries(WebClient client, String url) {
    this.client = client;
    this.url = url;
  }

  public Future<JsonNode> run(String tenant, String statement, ObjectNode params) {
    return client.getAbs(url + "/query")
        .addQueryParam("db", InfluxNames.database(tenant))
        .addQueryParam("q", statement)
        .addQueryParam("params", Json.toText(params))
        .addQueryParam("epoch", "ns")
        .send()
        .compose(response -> {
          JsonNode body;
          try {
            body = Json.MAPPER.readTree(response.bodyAsBuffer() == null ? new byte[0]
                : response.bodyAsBuffer().getBytes());
          } catch (IOException e) {
            return Future.failedFuture(new IllegalStateException("unreadable InfluxDB answer", e));
          }
          JsonNode result = body.path("results").path(0);
          String error = body.has("error") ? body.get("error").asText() : result.path("error").asText(null);
          if (error != null) {
            return error.startsWith("database not found") ? Future.succeededFuture(MissingNode.getInstance())
                : Future.failedFuture(new IllegalStateException("InfluxDB: " + error));
          }
          return Future.succeededFuture(result);
        });
  }

  public Future<Void> ping() {
    return client.getAbs(url + "/ping").send()
        .compose(r -> r.statusCode() == 204 ? Future.succeededFuture() : Future.failedFuture("ping " + r.statusCode()));
  }
}
