package io.auditlog.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /health}: runs every check (each bounded by a timeout) and answers
 * {@code {"status","app","version","checks":{name: "UP"|"DEGRADED"|"DOWN"}}} plus, under its own name, the details a
 * check reports. The status is the worst of the checks; 503 when it is DOWN, else 200 (DEGRADED still serves).
 */
public final class HealthHandler implements Handler<RoutingContext> {

  private static final long TIMEOUT_MILLIS = 2_000;

  /** A check's verdict, worst last. */
  public enum Status { UP, DEGRADED, DOWN }

  /** What a detailed check found: its status and what it saw (null when there is nothing to add). */
  public record Report(Status status, JsonNode details) {
  }

  private final String app;
  private final String version;
  private final Map<String, Supplier<Future<Report>>> checks = new LinkedHashMap<>();

  public HealthHandler(String app) {
    this.app = app;
    this.version = Version.current();
  }

  /** Adds a dependency check: UP when the future succeeds, DOWN when it fails or times out. */
  public HealthHandler check(String name, Supplier<Future<?>> check) {
    checks.put(name, () -> check.get().map(new Report(Status.UP, null)));
    return this;
  }

  /** Adds a check that judges itself and reports details, shown under {@code name} beside {@code checks}. */
  public HealthHandler report(String name, Supplier<Future<Report>> check) {
    checks.put(name, check);
    return this;
  }

  @Override
  public void handle(RoutingContext ctx) {
    report().onSuccess(body -> Responses.json(ctx,
        Status.DOWN.name().equals(body.get("status").asText()) ? 503 : 200, body));
  }

  public Future<ObjectNode> report() {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<Report>> results = names.stream().map(name -> run(checks.get(name))).toList();
    return Future.join(results).transform(ignored -> {
      ObjectNode body = Json.MAPPER.createObjectNode();
      ObjectNode checkNode = Json.MAPPER.createObjectNode();
      Status overall = Status.UP;
      Map<String, JsonNode> details = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        Report report = results.get(i).result();
        overall = report.status().compareTo(overall) > 0 ? report.status() : overall;
        checkNode.put(names.get(i), report.status().name());
        if (report.details() != null) {
          details.put(names.get(i), report.details());
        }
      }
      body.put("status", overall.name());
      body.put("app", app);
      body.put("version", version);
      body.set("checks", checkNode);
      details.forEach(body::set);
      return Future.succeededFuture(body);
    });
  }

  private static Future<Report> run(Supplier<Future<Report>> check) {
    Report down = new Report(Status.DOWN, null);
    try {
      return check.get().timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).otherwise(down);
    } catch (RuntimeException e) {
      return Future.succeededFuture(down);
    }
  }
}
