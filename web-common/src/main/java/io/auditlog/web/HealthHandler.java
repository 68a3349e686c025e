package io.auditlog.web;

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
 * {@code GET /health}: runs every dependency check (each bounded by a timeout) and answers 200 when all are UP,
 * else 503, with {@code {"status","app","version","checks":{name: "UP"|"DOWN"}}}.
 */
public final class HealthHandler implements Handler<RoutingContext> {

  private static final long TIMEOUT_MILLIS = 2_000;

  private final String app;
  private final String version;
  private final Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();

  public HealthHandler(String app) {
    this.app = app;
    this.version = Version.current();
  }

  /** Adds a dependency check, reported under {@code name} in the order checks were added. */
  public HealthHandler check(String name, Supplier<Future<?>> check) {
    checks.put(name, check);
    return this;
  }

  @Override
  public void handle(RoutingContext ctx) {
    report().onSuccess(body -> Responses.json(ctx, "UP".equals(body.get("status").asText()) ? 200 : 503, body));
  }

  public Future<ObjectNode> report() {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<String>> results = names.stream().map(name -> run(checks.get(name))).toList();
    return Future.join(results).transform(ignored -> {
      ObjectNode body = Json.MAPPER.createObjectNode();
      ObjectNode checkNode = Json.MAPPER.createObjectNode();
      boolean up = true;
      for (int i = 0; i < names.size(); i++) {
        String state = results.get(i).succeeded() ? results.get(i).result() : "DOWN";
        up &= "UP".equals(state);
        checkNode.put(names.get(i), state);
      }
      body.put("status", up ? "UP" : "DOWN");
      body.put("app", app);
      body.put("version", version);
      body.set("checks", checkNode);
      return Future.succeededFuture(body);
    });
  }

  private static Future<String> run(Supplier<Future<?>> check) {
    try {
      return check.get().timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).map("UP").otherwise("DOWN");
    } catch (RuntimeException e) {
      return Future.succeededFuture("DOWN");
    }
  }
}
