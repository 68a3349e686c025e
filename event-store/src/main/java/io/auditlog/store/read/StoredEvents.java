package io.auditlog.store.read;

import static io.auditlog.model.InfluxNames.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventCodec;
import io.auditlog.model.Json;
import io.auditlog.model.NanoTimestamps;
import io.auditlog.model.StampedEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns one InfluxDB row (columns + values of a {@code SELECT *}) back into the event as it was written, plus
 * {@code id}, {@code event_id}, {@code timestamp} (RFC 3339, nine fraction digits, Z) and {@code event.stage}.
 */
public final class StoredEvents {

  private StoredEvents() {
  }

  /** One row of a series as a column → value map, without the nulls of columns this point does not have. */
  public static Map<String, JsonNode> row(JsonNode columns, JsonNode values) {
    return SeriesRows.of(columns).row(values);
  }

  /**
   * The event as {@code GET /api/events/get} will return it once its point is stored: the row its line gives, read
   * back by {@link #toEvent}. The ingest worker commits to this document in the event's leaf, so there is one code
   * for what is committed and what is read.
   */
  public static ObjectNode readShape(StampedEvent stamped) {
    AuditEvent e = stamped.event();
    Map<String, JsonNode> row = new HashMap<>();
    row.put("time", LongNode.valueOf(stamped.timestampNanos()));
    row.put(FIELD_ID, TextNode.valueOf(stamped.id()));
    row.put(FIELD_EVENT_ID, TextNode.valueOf(stamped.eventId()));
    row.put(FIELD_STAGE, LongNode.valueOf(stamped.stage()));
    row.put(TAG_APP, TextNode.valueOf(e.application()));
    row.put(TAG_ENV, TextNode.valueOf(e.environment()));
    row.put(TAG_METHOD, TextNode.valueOf(e.method()));
    row.put(TAG_STATUS, TextNode.valueOf(e.status()));
    row.put(TAG_LEVEL, TextNode.valueOf(e.level()));
    row.put(TAG_EVENT_NAME, TextNode.valueOf(e.event().name()));
    row.put(TAG_EVENT_TYPE, TextNode.valueOf(e.event().type()));
    row.put(FIELD_ORIGIN, TextNode.valueOf(e.actor().origin()));
    row.put(FIELD_TOTAL_DURATION, DoubleNode.valueOf(e.event().totalDuration()));
    row.put(FIELD_AFFECTED_RESOURCES, LongNode.valueOf(e.event().affectedResources()));
    row.put(FIELD_LATENCY, DoubleNode.valueOf(e.event().latency()));
    row.put(FIELD_CPU_USAGE, DoubleNode.valueOf(e.event().cpuUsage()));
    row.put(FIELD_MEMORY_USAGE, DoubleNode.valueOf(e.event().memoryUsage()));
    e.event().description().ifPresent(d -> row.put(FIELD_DESCRIPTION, TextNode.valueOf(d)));
    e.event().detail().ifPresent(d -> row.put(FIELD_EVENT_DETAIL, TextNode.valueOf(Json.toText(d))));
    e.actor().detail().ifPresent(d -> row.put(FIELD_ACTOR_DETAIL, TextNode.valueOf(Json.toText(d))));
    e.resource().ifPresent(r -> {
      row.put(FIELD_RESOURCE, BooleanNode.TRUE);
      r.id().ifPresent(v -> row.put(FIELD_RESOURCE_ID, TextNode.valueOf(v)));
      r.name().ifPresent(v -> row.put(FIELD_RESOURCE_NAME, TextNode.valueOf(v)));
      r.type().ifPresent(v -> row.put(TAG_RESOURCE_TYPE, TextNode.valueOf(v)));
      r.detail().ifPresent(v -> row.put(FIELD_RESOURCE_DETAIL, TextNode.valueOf(Json.toText(v))));
    });
    e.metadata().ifPresent(items -> row.put(FIELD_METADATA, TextNode.valueOf(Json.toText(EventCodec.toNode(items)))));
    return toEvent(e.category(), row);
  }

  static long timeNanos(Map<String, JsonNode> row) {
    return row.get("time").asLong();
  }

  public static ObjectNode toEvent(String category, Map<String, JsonNode> row) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    copy(row, FIELD_ID, event, "id");
    copy(row, FIELD_EVENT_ID, event, "event_id");
    event.put("timestamp", NanoTimestamps.format(timeNanos(row)));
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
