package io.auditlog.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.TenantInfluxUsers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.util.List;

/**
 * A tenant's database over InfluxDB's v1 API: one InfluxQL query with bound parameters and nanosecond times, answered
 * as the statement's result ({@code results[0]}; empty when the database is missing), data-changing
 * statements, and line-protocol writes. Each request logs in as the tenant's own InfluxDB user: reads as its reader
 * (READ on its database alone), deletes and writes as its deleter (WRITE on its database alone), so a statement that
 * names another database, or any DDL, is refused by InfluxDB itself.
 */
public final class InfluxQueries {

  private final WebClient client;
  private final String url;
  private final TenantInfluxUsers users;

  public InfluxQueries(WebClient client, String url, TenantInfluxUsers users) {
    this.client = client;
    this.url = url;
    this.users = users;
  }

  public Future<JsonNode> run(String tenant, String statement, ObjectNode params) {
    return client.getAbs(url + "/query")
        .putHeader("Authorization", users.reader(tenant).basicAuthorization())
        .addQueryParam("db", InfluxNames.database(tenant))
        .addQueryParam("q", statement)
        .addQueryParam("params", Json.toText(params))
        .addQueryParam("epoch", "ns")
        .send()
        .compose(response -> {
          JsonNode body = parse(response.bodyAsBuffer());
          if (body.isMissingNode()) {
            return Future.failedFuture(new IllegalStateException("unreadable InfluxDB answer"));
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

  /**
   * Runs statements that change data ({@code DELETE}), which InfluxDB accepts only by POST, as one request; fails
   * when any of them failed.
   */
  public Future<Void> execute(String tenant, List<String> statements) {
    return client.postAbs(url + "/query")
        .putHeader("Authorization", users.deleter(tenant).basicAuthorization())
        .sendForm(MultiMap.caseInsensitiveMultiMap()
            .add("db", InfluxNames.database(tenant))
            .add("q", String.join(";\n", statements)))
        .compose(response -> {
          JsonNode body = parse(response.bodyAsBuffer());
          if (response.statusCode() != 200 || body.has("error")) {
            return Future.failedFuture(new IllegalStateException("InfluxDB " + response.statusCode() + ": "
                + body.path("error").asText()));
          }
          for (JsonNode result : body.path("results")) {
            if (result.has("error")) {
              return Future.failedFuture(new IllegalStateException("InfluxDB: " + result.get("error").asText()));
            }
          }
          return Future.<Void>succeededFuture();
        });
  }

  /** Writes line-protocol points (nanosecond times) to the tenant's database: only the delete path does. */
  public Future<Void> write(String tenant, List<String> lines) {
    return client.postAbs(url + "/write")
        .putHeader("Authorization", users.deleter(tenant).basicAuthorization())
        .addQueryParam("db", InfluxNames.database(tenant))
        .addQueryParam("precision", "ns")
        .sendBuffer(Buffer.buffer(String.join("\n", lines)))
        .compose(response -> response.statusCode() == 204 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IllegalStateException("InfluxDB write " + response.statusCode() + ": "
                + response.bodyAsString())));
  }

  private static JsonNode parse(Buffer buffer) {
    try {
      return Json.MAPPER.readTree(buffer == null ? new byte[0] : buffer.getBytes());
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  public Future<Void> ping() {
    return client.getAbs(url + "/ping").send()
        .compose(r -> r.statusCode() == 204 ? Future.succeededFuture() : Future.failedFuture("ping " + r.statusCode()));
  }
}
