package io.auditlog.store.read;

import static io.auditlog.model.InfluxNames.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one InfluxDB row (columns + values of a {@code SELECT *}) back into the event as it was written, plus
 * {@code id}, {@code event_id}, {@code timestamp} (RFC 3339, nine fraction digits, Z) and {@code event.stage}.
 */
public final class StoredEvents {

  private static final DateTimeFormatter NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'")
      .withZone(ZoneOffset.UTC);

  private StoredEvents() {
  }

  /** One row of a series as a column → value map, without the nulls of columns this point does not have. */
  public static Map<String, JsonNode> row(JsonNode columns, JsonNode values) {
    Map<String, JsonNode> row = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      JsonNode value = values.get(i);
      if (value != null && !value.isNull()) {
        row.put(columns.get(i).asText(), value);
      }
    }
    return row;
  }

  static long timeNanos(Map<String, JsonNode> row) {
    return row.get("time").asLong();
  }

  static ObjectNode toEvent(String category, Map<String, JsonNode> row) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    copy(row, FIELD_ID, event, "id");
    copy(row, FIELD_EVENT_ID, event, "event_id");
    event.put("timestamp", formatNanos(timeNanos(row)));
    event.put("category", category);
    ObjectNode source = event.putObject("source_information");
    tag(row, TAG_APP, source, "application");
    tag(row, TAG_ENV, source, "environment");
    tag(row, TAG_METHOD, event, "method");
    tag(row, TAG_STATUS, event, "status");
    tag(row, TAG_LEVEL, event, "level");
    ObjectNode action = event.putObject("event");
    tag(row, TAG_EVENT_NAME, action, "name");
    tag(row, TAG_EVENT_TYPE, action, "type");
    copy(row, FIELD_TOTAL_DURATION, action, "total_duration");
    copy(row, FIELD_AFFECTED_RESOURCES, action, "affected_resources");
    copy(row, FIELD_LATENCY, action, "latency");
    copy(row, FIELD_CPU_USAGE, action, "cpu_usage");
    copy(row, FIELD_MEMORY_USAGE, action, "memory_usage");
    copy(row, FIELD_DESCRIPTION, action, "description");
    json(row, FIELD_EVENT_DETAIL, action, "detail");
    copy(row, FIELD_STAGE, action, "stage");
    ObjectNode actor = event.putObject("actor");
    copy(row, FIELD_ORIGIN, actor, "origin");
    json(row, FIELD_ACTOR_DETAIL, actor, "detail");
    if (row.containsKey(FIELD_RESOURCE)) {
      ObjectNode resource = event.putObject("resource");
      copy(row, FIELD_RESOURCE_ID, resource, "id");
      copy(row, FIELD_RESOURCE_NAME, resource, "name");
      tag(row, TAG_RESOURCE_TYPE, resource, "type");
      json(row, FIELD_RESOURCE_DETAIL, resource, "detail");
    }
    json(row, FIELD_METADATA, event, "metadata");
    return event;
  }

  public static String formatNanos(long nanos) {
    return NANOS.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        Math.floorMod(nanos, 1_000_000_000L)));
  }

  private static void copy(Map<String, JsonNode> row, String column, ObjectNode target, String key) {
    JsonNode value = row.get(column);
    if (value != null) {
      target.set(key, value);
    }
  }

  /** Tags: a point without the tag reads back as an empty string when series are merged. */
  private static void tag(Map<String, JsonNode> row, String column, ObjectNode target, String key) {
    JsonNode value = row.get(column);
    if (value != null && !value.asText().isEmpty()) {
      target.set(key, value);
    }
  }

  private static void json(Map<String, JsonNode> row, String column, ObjectNode target, String key) {
    JsonNode value = row.get(column);
    if (value != null && value.isTextual()) {
      try {
        target.set(key, Json.MAPPER.readTree(value.textValue()));
      } catch (JsonProcessingException e) {
        target.put(key, value.textValue());
      }
    }
  }
}
