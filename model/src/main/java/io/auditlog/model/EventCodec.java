package io.auditlog.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.MetadataItem;
import io.auditlog.model.AuditEvent.Resource;
import java.util.List;

/**
 * The canonical JSON of a stamped event, the value of every record on the events topic: the body as the client sent
 * it (snake_case, optional parts absent when not sent) plus {@code tenant}, {@code id}, {@code event_id},
 * {@code timestamp} (nanoseconds since the epoch), {@code event.stage} and, from schema version 2 on, the leaf's
 * {@code salt} (base64 of 16 bytes) when the event has one.
 */
public final class EventCodec {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> STAMP_KEYS = List.of("tenant", "id", "event_id", "timestamp", "salt");

  private final EventValidator validator = new EventValidator();

  public byte[] encode(StampedEvent stamped) {
    ObjectNode root = NODES.objectNode();
    root.put("tenant", stamped.tenant());
    root.put("id", stamped.id());
    root.put("event_id", stamped.eventId());
    root.put("timestamp", stamped.timestampNanos());
    if (stamped.salt() != null) {
      root.put("salt", stamped.salt());
    }
    ObjectNode body = toBody(stamped.event());
    ((ObjectNode) body.get("event")).put("stage", stamped.stage());
    root.setAll(body);
    return Json.toBytes(root);
  }

  /**
   * Reads a record value written by {@link #encode}; the event part is validated again, so a record that did not
   * come from the gateway is held to the same contract.
   *
   * @throws ApiException 422 when the value is not a valid canonical event
   */
  public StampedEvent decode(byte[] value) {
    JsonNode node = Json.parseBody(value);
    if (!node.isObject()) {
      throw ApiException.validation(new FieldError(List.of("body"), "must be an object", "type_error.dict"));
    }
    ObjectNode root = ((ObjectNode) node).deepCopy();
    String tenant = requireText(root, "tenant");
    String id = requireText(root, "id");
    String eventId = requireText(root, "event_id");
    JsonNode timestamp = root.get("timestamp");
    if (timestamp == null || !timestamp.canConvertToLong() || !timestamp.isIntegralNumber()) {
      throw ApiException.validation(
          new FieldError(List.of("body", "timestamp"), "must be an integer", "type_error.integer"));
    }
    String salt = optionalSalt(root);
    root.remove(STAMP_KEYS);
    JsonNode event = root.get("event");
    int stage = 1;
    if (event != null && event.isObject() && event.has("stage")) {
      stage = event.get("stage").asInt(1);
      ((ObjectNode) event).remove("stage");
    }
    AuditEvent parsed = validator.validate(root).get(0);
    return new StampedEvent(tenant, id, eventId, timestamp.longValue(), stage, parsed, salt);
  }

  /** The salt, when there is one: padded base64 of exactly {@value Salts#BYTES} bytes. */
  private static String optionalSalt(ObjectNode root) {
    JsonNode salt = root.get("salt");
    if (salt == null) {
      return null;
    }
    if (!salt.isTextual() || !Salts.isSalt(salt.textValue())) {
      throw ApiException.validation(new FieldError(List.of("body", "salt"),
          "must be " + Salts.BYTES + " bytes in padded base64", "value_error.salt"));
    }
    return salt.textValue();
  }

  private static String requireText(ObjectNode root, String key) {
    JsonNode value = root.get(key);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw ApiException.validation(new FieldError(List.of("body", key), "must be a string", "type_error.str"));
    }
    return value.textValue();
  }

  /** The event in the shape of the ingest body. */
  public static ObjectNode toBody(AuditEvent event) {
    ObjectNode body = NODES.objectNode();
    body.put("category", event.category());
    ObjectNode source = body.putObject("source_information");
    source.put("application", event.application());
    source.put("environment", event.environment());
    body.put("method", event.method());
    body.put("status", event.status());
    body.put("level", event.level());
    Action action = event.event();
    ObjectNode eventNode = body.putObject("event");
    eventNode.put("name", action.name());
    eventNode.put("type", action.type());
    eventNode.put("total_duration", action.totalDuration());
    eventNode.put("affected_resources", action.affectedResources());
    eventNode.put("latency", action.latency());
    eventNode.put("cpu_usage", action.cpuUsage());
    eventNode.put("memory_usage", action.memoryUsage());
    action.description().ifPresent(d -> eventNode.put("description", d));
    action.detail().ifPresent(d -> eventNode.set("detail", d));
    ObjectNode actor = body.putObject("actor");
    actor.put("origin", event.actor().origin());
    event.actor().detail().ifPresent(d -> actor.set("detail", d));
    event.resource().ifPresent(r -> body.set("resource", toNode(r)));
    event.metadata().ifPresent(items -> body.set("metadata", toNode(items)));
    return body;
  }

  private static ObjectNode toNode(Resource resource) {
    ObjectNode node = NODES.objectNode();
    resource.id().ifPresent(v -> node.put("id", v));
    resource.name().ifPresent(v -> node.put("name", v));
    resource.type().ifPresent(v -> node.put("type", v));
    resource.detail().ifPresent(v -> node.set("detail", v));
    return node;
  }

  /** Metadata items as sent. */
  public static ArrayNode toNode(List<MetadataItem> items) {
    ArrayNode array = NODES.arrayNode();
    for (MetadataItem item : items) {
      ObjectNode node = array.addObject();
      item.isMetricFlag().ifPresent(flag -> node.put("is_metric", flag));
      node.put("name", item.name());
      node.set("value", item.value());
    }
    return array;
  }
}
