package io.auditlog.store.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.filter.EventJsonValues;
import io.auditlog.filter.EventValues;
import io.auditlog.filter.Variable;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import java.util.Map;

/** A stored row (column → value) as the filter evaluator sees it. */
public final class StoredEventValues implements EventValues {

  private final String category;
  private final Map<String, JsonNode> row;
  private JsonNode metadata;
  private EventJsonValues whole;

  public StoredEventValues(String category, Map<String, JsonNode> row) {
    this.category = category;
    this.row = row;
  }

  @Override
  public Object value(Variable variable) {
    return switch (variable.kind()) {
      case CATEGORY -> category;
      case TIME, AGE -> StoredEvents.timeNanos(row);
      case NUMBER -> {
        JsonNode value = row.get(variable.column());
        yield value != null && value.isNumber() ? value.doubleValue() : null;
      }
      case METADATA -> metadataValue(variable.column());
      case IDS, SENSOR_TIME, MODSEC -> whole().value(variable);
      default -> {
        JsonNode value = row.get(variable.column());
        // A missing tag reads back as an empty string; tags are never empty when present.
        boolean tag = variable.kind() == Variable.Kind.TAG || variable.kind() == Variable.Kind.SEVERITY;
        yield value == null || tag && value.asText().isEmpty() ? null : value.asText();
      }
    };
  }

  /** The whole event, as {@code /api/events/get} answers it, for the variables read from it. */
  private EventJsonValues whole() {
    if (whole == null) {
      whole = new EventJsonValues(StoredEvents.toEvent(category, row));
    }
    return whole;
  }

  private Object metadataValue(String name) {
    if (metadata == null) {
      JsonNode stored = row.get(InfluxNames.FIELD_METADATA);
      try {
        metadata = stored == null ? Json.MAPPER.createArrayNode() : Json.MAPPER.readTree(stored.asText());
      } catch (JsonProcessingException e) {
        metadata = Json.MAPPER.createArrayNode();
      }
    }
    for (JsonNode item : metadata) {
      if (name.equals(item.path("name").asText())) {
        JsonNode value = item.get("value");
        if (value == null || value.isNull()) {
          return null;
        }
        return value.isNumber() ? value.doubleValue() : value.isTextual() ? value.textValue()
            : value.isBoolean() ? Boolean.toString(value.booleanValue()) : value.toString();
      }
    }
    return null;
  }
}
