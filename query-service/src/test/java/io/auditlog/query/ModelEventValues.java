package io.auditlog.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.EventJsonValues;
import io.auditlog.filter.EventValues;
import io.auditlog.filter.Variable;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Resource;
import io.auditlog.model.EventCodec;
import io.auditlog.model.StampedEvent;
import java.util.List;

/** The evaluator's view of an event straight from the model, never through InfluxDB: the oracle of the tests. */
record ModelEventValues(StampedEvent stamped) implements EventValues {

  @Override
  public Object value(Variable variable) {
    AuditEvent e = stamped.event();
    switch (variable.kind()) {
      case IDS, SENSOR_TIME, MODSEC -> {
        ObjectNode json = EventCodec.toBody(e).put("id", stamped.id());
        return new EventJsonValues(json).value(variable);
      }
      default -> { }
    }
    if (variable.kind() == Variable.Kind.METADATA) {
      return e.metadata().orElse(List.of()).stream().filter(m -> m.name().equals(variable.column())).findFirst()
          .map(m -> m.value().isNumber() ? (Object) m.value().doubleValue() : m.value().asText()).orElse(null);
    }
    return switch (variable.name()) {
      case "category" -> e.category();
      case "app" -> e.application();
      case "env" -> e.environment();
      case "method" -> e.method();
      case "status" -> e.status();
      case "level", "SEVERITY" -> e.level();
      case "origin" -> e.actor().origin();
      case "id" -> stamped.id();
      case "event_id" -> stamped.eventId();
      case "time", "age" -> stamped.timestampNanos();
      case "event.name" -> e.event().name();
      case "event.type" -> e.event().type();
      case "event.description" -> e.event().description().orElse(null);
      case "resource.type" -> e.resource().flatMap(Resource::type).orElse(null);
      case "cpu_usage" -> e.event().cpuUsage();
      case "latency" -> e.event().latency();
      default -> {
        if (variable.kind() != Variable.Kind.NUMBER) {
          throw new IllegalArgumentException("no model value for " + variable.name());
        }
        yield e.metrics().stream().filter(m -> m.name().equals(variable.column())).findFirst()
            .map(m -> (Object) m.value().doubleValue()).orElse(null);
      }
    };
  }
}
