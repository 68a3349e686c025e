package io.auditlog.model;

import static io.auditlog.model.FieldReader.TextRule.NO_CONTROL;
import static io.auditlog.model.FieldReader.TextRule.NO_LEADING_HASH;
import static io.auditlog.model.FieldReader.TextRule.STORABLE_AS_MEASUREMENT;
import static io.auditlog.model.FieldReader.TextRule.STORABLE_AS_TAG;
import static io.auditlog.model.FieldReader.TextRule.NO_WHITESPACE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.AuditEvent.MetadataItem;
import io.auditlog.model.AuditEvent.Resource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an event body (one event or an array of them) against the event contract and turns it into typed events.
 * Every failing field is reported; one failure rejects the whole body.
 */
public final class EventValidator {

  static final int MAX_DETAIL_DEPTH = 16;
  private static final Set<String> TOP_KEYS = Set.of(
      "category", "source_information", "method", "status", "level", "event", "actor", "resource", "metadata");
  private static final Set<String> SOURCE_KEYS = Set.of("application", "environment");
  /** {@code stage} is assigned where the event enters; a client-sent one is accepted and ignored. */
  private static final Set<String> EVENT_KEYS = Set.of("name", "type", "total_duration", "affected_resources",
      "latency", "cpu_usage", "memory_usage", "description", "detail", "stage");
  private static final Set<String> ACTOR_KEYS = Set.of("origin", "detail");
  private static final Set<String> RESOURCE_KEYS = Set.of("id", "name", "type", "detail");
  private static final Set<String> METADATA_KEYS = Set.of("is_metric", "name", "value");
  private static final Pattern METADATA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  /**
   * Names a metadata item may not take: they are the stored columns of every event (tags and fields of its point,
   * {@code resource} included: the flag that says an event had a resource object), so a metric can never collide
   * with one in InfluxDB.
   */
  public static final Set<String> RESERVED_NAMES = Set.of("id", "event_id", "time", "timestamp", "stage", "tenant",
      "category", "app", "env", "method", "status", "level", "origin", "event_name", "event_type", "description",
      "resource", "resource_id", "resource_name", "resource_type", "total_duration", "latency", "cpu_usage",
      "memory_usage", "affected_resources", "event_detail", "actor_detail", "resource_detail", "metadata", "seq",
      "salt");

  /** True when some valid event could have this category (the rules of the body's {@code category}). */
  public static boolean isPossibleCategory(String category) {
    int length = category.codePointCount(0, category.length());
    return length >= 1 && length <= 64
        && NO_WHITESPACE.accepts(category) && NO_CONTROL.accepts(category) && STORABLE_AS_TAG.accepts(category)
        && STORABLE_AS_MEASUREMENT.accepts(category) && NO_LEADING_HASH.accepts(category);
  }

  /**
   * Validates a parsed body.
   *
   * @return the events in request order (one element for a single-object body)
   * @throws ApiException 422 listing every failing field
   */
  public List<AuditEvent> validate(JsonNode body) {
    Json.requireCanonicalizable(body);
    List<FieldError> errors = new ArrayList<>();
    List<AuditEvent> events = new ArrayList<>();
    if (body.isArray()) {
      ArrayNode array = (ArrayNode) body;
      for (int i = 0; i < array.size(); i++) {
        events.add(validateOne(array.get(i), List.of("body", i), errors));
      }
    } else {
      events.add(validateOne(body, List.of("body"), errors));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return events;
  }

  private AuditEvent validateOne(JsonNode node, List<Object> loc, List<FieldError> errors) {
    if (!node.isObject()) {
      errors.add(new FieldError(loc, "must be an object", "type_error.dict"));
      return null;
    }
    FieldReader top = new FieldReader((ObjectNode) node, loc, errors);
    top.rejectUnknown(TOP_KEYS);
    String category = top.requiredText("category", 1, 64, NO_WHITESPACE, NO_CONTROL, STORABLE_AS_TAG,
        STORABLE_AS_MEASUREMENT, NO_LEADING_HASH);
    ObjectNode sourceNode = top.requiredObject("source_information");
    String application = null;
    String environment = null;
    if (sourceNode != null) {
      FieldReader source = new FieldReader(sourceNode, top.at("source_information"), errors);
      source.rejectUnknown(SOURCE_KEYS);
      application = source.requiredText("application", 1, 64, NO_WHITESPACE, NO_CONTROL, STORABLE_AS_TAG);
      environment = source.requiredText("environment", 1, 64, NO_WHITESPACE, NO_CONTROL, STORABLE_AS_TAG);
    }
    String method = top.requiredText("method", 1, 64, NO_CONTROL, STORABLE_AS_TAG);
    String status = top.requiredText("status", 1, 64, NO_CONTROL, STORABLE_AS_TAG);
    String level = top.requiredText("level", 1, 64, NO_CONTROL, STORABLE_AS_TAG);
    Action action = readAction(top, errors);
    Actor actor = readActor(top, errors);
    Optional<Resource> resource = readResource(top, errors);
    Optional<List<MetadataItem>> metadata = readMetadata(top, errors);
    if (category == null || application == null || environment == null || method == null || status == null
        || level == null || action == null || actor == null) {
      return null;
    }
    return new AuditEvent(category, application, environment, method, status, level, action, actor, resource,
        metadata);
  }

  private Action readAction(FieldReader top, List<FieldError> errors) {
    ObjectNode node = top.requiredObject("event");
    if (node == null) {
      return null;
    }
    FieldReader event = new FieldReader(node, top.at("event"), errors);
    event.rejectUnknown(EVENT_KEYS);
    int before = errors.size();
    Action action = new Action(
        event.requiredText("name", 1, 256, NO_CONTROL, STORABLE_AS_TAG),
        event.requiredText("type", 1, 256, NO_CONTROL, STORABLE_AS_TAG),
        event.requiredMeasure("total_duration"),
        event.requiredCount("affected_resources"),
        event.requiredMeasure("latency"),
        event.requiredMeasure("cpu_usage"),
        event.requiredMeasure("memory_usage"),
        event.optionalText("description", 0, 4096),
        event.optionalDetail("detail", MAX_DETAIL_DEPTH));
    return errors.size() == before ? action : null;
  }

  private Actor readActor(FieldReader top, List<FieldError> errors) {
    ObjectNode node = top.requiredObject("actor");
    if (node == null) {
      return null;
    }
    FieldReader actor = new FieldReader(node, top.at("actor"), errors);
    actor.rejectUnknown(ACTOR_KEYS);
    String origin = actor.requiredText("origin", 1, 256);
    Optional<ObjectNode> detail = actor.optionalDetail("detail", MAX_DETAIL_DEPTH);
    return origin == null ? null : new Actor(origin, detail);
  }

  private Optional<Resource> readResource(FieldReader top, List<FieldError> errors) {
    Optional<ObjectNode> node = top.optionalObject("resource");
    if (node.isEmpty()) {
      return Optional.empty();
    }
    FieldReader resource = new FieldReader(node.get(), top.at("resource"), errors);
    resource.rejectUnknown(RESOURCE_KEYS);
    return Optional.of(new Resource(
        resource.optionalStoredText("id"),
        resource.optionalStoredText("name"),
        resource.optionalText("type", 1, 256, NO_CONTROL, STORABLE_AS_TAG),
        resource.optionalDetail("detail", MAX_DETAIL_DEPTH)));
  }

  private Optional<List<MetadataItem>> readMetadata(FieldReader top, List<FieldError> errors) {
    if (!top.has("metadata")) {
      return Optional.empty();
    }
    JsonNode node = top.optionalDetailArray("metadata");
    if (node == null) {
      return Optional.empty();
    }
    List<MetadataItem> items = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      List<Object> loc = top.at("metadata");
      loc.add(i);
      JsonNode itemNode = node.get(i);
      if (!itemNode.isObject()) {
        errors.add(new FieldError(loc, "must be an object", "type_error.dict"));
        continue;
      }
      MetadataItem item = readMetadataItem(new FieldReader((ObjectNode) itemNode, loc, errors), names);
      if (item != null) {
        items.add(item);
      }
    }
    return Optional.of(items);
  }

  private MetadataItem readMetadataItem(FieldReader item, Set<String> names) {
    item.rejectUnknown(METADATA_KEYS);
    String name = item.requiredText("name", 1, 64);
    if (name != null) {
      if (!METADATA_NAME.matcher(name).matches()) {
        item.fail(item.at("name"), "must match [A-Za-z_][A-Za-z0-9_]*", "value_error.str.regex");
        name = null;
      } else if (RESERVED_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
        item.fail(item.at("name"), "'" + name + "' is a reserved name", "value_error.reserved");
        name = null;
      } else if (!names.add(name)) {
        item.fail(item.at("name"), "'" + name + "' is used by another metadata item", "value_error.duplicate");
        name = null;
      }
    }
    Optional<Boolean> flag = item.optionalBoolean("is_metric");
    boolean isMetric = flag.orElse(false);
    JsonNode value = item.requiredValue("value");
    if (value != null && isMetric && (!value.isNumber() || !Double.isFinite(value.doubleValue()))) {
      item.fail(item.at("value"), "must be a finite number when is_metric is true", "type_error.float");
      value = null;
    }
    return name == null || value == null ? null : new MetadataItem(name, flag, value);
  }
}
