package io.auditlog.gateway.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.gateway.GatewayConfig.ModsecIntake;
import io.auditlog.model.ApiException;
import io.auditlog.model.EventValidator;
import io.auditlog.model.FieldError;
import io.auditlog.model.Json;
import io.auditlog.modsecurity.Source;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a sensor's entries go: {@code application} is the query's {@code app}, else the sensor's name;
 * {@code environment} the query's {@code env}, else {@code X-Audit-Environment}, else the configured one;
 * {@code category} the query's {@code category}, else the configured one. Each, and the sensor's name, must keep the
 * event rules of its field (a 422 naming the parameter otherwise).
 */
final class SensorSource {

  static final String ENVIRONMENT_HEADER = "X-Audit-Environment";

  private final EventValidator validator = new EventValidator();
  private final String environment;
  private final String category;

  SensorSource(ModsecIntake settings) {
    this.environment = settings.environment();
    this.category = settings.category();
  }

  Source of(String sensor, HttpServerRequest request) {
    String app = request.getParam("app");
    String env = request.getParam("env");
    String header = request.getHeader(ENVIRONMENT_HEADER);
    String cat = request.getParam("category");
    Source source = new Source(sensor, app != null ? app : sensor,
        env != null ? env : header != null ? header : environment, cat != null ? cat : category);
    List<FieldError> errors = new ArrayList<>();
    check(errors, List.of("header", "Authorization", "username"), probe(source.sensor(), "env", "cat"));
    check(errors, List.of("query", "app"), probe(source.application(), "env", "cat"));
    check(errors, env != null || header == null ? List.of("query", "env") : List.of("header", ENVIRONMENT_HEADER),
        probe("app", source.environment(), "cat"));
    check(errors, List.of("query", "category"), probe("app", "env", source.category()));
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return source;
  }

  private void check(List<FieldError> errors, List<Object> loc, ObjectNode probe) {
    try {
      validator.validate(probe);
    } catch (ApiException e) {
      FieldError first = e.fieldErrors().get(0);
      errors.add(new FieldError(loc, first.msg(), first.type()));
    }
  }

  /** The smallest valid event, but for the three source fields. */
  private static ObjectNode probe(String application, String environment, String category) {
    ObjectNode event = Json.MAPPER.createObjectNode().put("category", category)
        .put("method", "-").put("status", "-").put("level", "none");
    event.putObject("source_information").put("application", application).put("environment", environment);
    event.putObject("event").put("name", "probe").put("type", "probe").put("total_duration", 0)
        .put("affected_resources", 1).put("latency", 0).put("cpu_usage", 0).put("memory_usage", 0);
    event.putObject("actor").put("origin", "-");
    return event;
  }
}
