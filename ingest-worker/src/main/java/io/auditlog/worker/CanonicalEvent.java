package io.auditlog.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.NanoTimestamps;
import io.auditlog.model.ReusedBuffer;
import io.auditlog.model.StampedEvent;
import io.auditlog.verify.JcsOutput;
import io.auditlog.verify.JcsOutput.Key;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * What an event's leaf commits to: the RFC 8785 bytes of the event as the read API returns it
 * ({@code StoredEvents.toEvent} of its stored point), written straight from the event, keys already in code-unit
 * order, without building the read shape first. A tag (application, environment, method, status, level, event name
 * and type, resource type) that is empty is left out, as a point without the tag reads back; details and metadata
 * are written as the JSON they were sent as. {@code CanonicalEventTest} holds it to the bytes a verifier makes from
 * the read shape's text, and the worker's integration tests to the points read back from InfluxDB.
 */
final class CanonicalEvent {

  // The read shape's own keys: lower-case ASCII, which RFC 8785 never escapes, encoded once.
  private static final Key ACTOR = JcsOutput.plainKey("actor");
  private static final Key AFFECTED_RESOURCES = JcsOutput.plainKey("affected_resources");
  private static final Key APPLICATION = JcsOutput.plainKey("application");
  private static final Key CATEGORY = JcsOutput.plainKey("category");
  private static final Key CPU_USAGE = JcsOutput.plainKey("cpu_usage");
  private static final Key DESCRIPTION = JcsOutput.plainKey("description");
  private static final Key DETAIL = JcsOutput.plainKey("detail");
  private static final Key ENVIRONMENT = JcsOutput.plainKey("environment");
  private static final Key EVENT = JcsOutput.plainKey("event");
  private static final Key EVENT_ID = JcsOutput.plainKey("event_id");
  private static final Key ID = JcsOutput.plainKey("id");
  private static final Key IS_METRIC = JcsOutput.plainKey("is_metric");
  private static final Key LATENCY = JcsOutput.plainKey("latency");
  private static final Key LEVEL = JcsOutput.plainKey("level");
  private static final Key MEMORY_USAGE = JcsOutput.plainKey("memory_usage");
  private static final Key METADATA = JcsOutput.plainKey("metadata");
  private static final Key METHOD = JcsOutput.plainKey("method");
  private static final Key NAME = JcsOutput.plainKey("name");
  private static final Key ORIGIN = JcsOutput.plainKey("origin");
  private static final Key RESOURCE = JcsOutput.plainKey("resource");
  private static final Key SOURCE_INFORMATION = JcsOutput.plainKey("source_information");
  private static final Key STAGE = JcsOutput.plainKey("stage");
  private static final Key STATUS = JcsOutput.plainKey("status");
  private static final Key TIMESTAMP = JcsOutput.plainKey("timestamp");
  private static final Key TOTAL_DURATION = JcsOutput.plainKey("total_duration");
  private static final Key TYPE = JcsOutput.plainKey("type");
  private static final Key VALUE = JcsOutput.plainKey("value");

  /** One output per thread, cleared for each event: the bytes are copied out before the thread's next event. */
  private static final ReusedBuffer<JcsOutput> OUTPUT = new ReusedBuffer<>(() -> new JcsOutput(1024),
      JcsOutput::capacity, 64 * 1024, JcsOutput::clear);

  private CanonicalEvent() {
  }

  /**
   * The canonical bytes.
   *
   * @throws IllegalArgumentException when the event holds something RFC 8785 cannot write (a number beyond the
   *     doubles, a lone surrogate)
   */
  static byte[] of(StampedEvent stamped) {
    AuditEvent e = stamped.event();
    AuditEvent.Action action = e.event();
    Writer out = new Writer(OUTPUT.cleared());
    out.open();
    out.key(ACTOR).open();
    e.actor().detail().ifPresent(detail -> out.key(DETAIL).node(detail));
    out.field(ORIGIN, e.actor().origin()).close();
    out.key(CATEGORY).string(e.category());
    out.key(EVENT).open();
    out.key(AFFECTED_RESOURCES).number(action.affectedResources());
    out.key(CPU_USAGE).number(action.cpuUsage());
    action.description().ifPresent(description -> out.key(DESCRIPTION).string(description));
    action.detail().ifPresent(detail -> out.key(DETAIL).node(detail));
    out.key(LATENCY).number(action.latency());
    out.key(MEMORY_USAGE).number(action.memoryUsage());
    out.tag(NAME, action.name());
    out.key(STAGE).number(stamped.stage());
    out.key(TOTAL_DURATION).number(action.totalDuration());
    out.tag(TYPE, action.type()).close();
    out.key(EVENT_ID).string(stamped.eventId());
    out.key(ID).string(stamped.id());
    out.tag(LEVEL, e.level());
    e.metadata().ifPresent(items -> out.key(METADATA).metadata(items));
    out.tag(METHOD, e.method());
    e.resource().ifPresent(resource -> {
      out.key(RESOURCE).open();
      resource.detail().ifPresent(detail -> out.key(DETAIL).node(detail));
      resource.id().ifPresent(id -> out.key(ID).string(id));
      resource.name().ifPresent(name -> out.key(NAME).string(name));
      out.tag(TYPE, resource.type().orElse(null)).close();
    });
    out.key(SOURCE_INFORMATION).open();
    out.tag(APPLICATION, e.application());
    out.tag(ENVIRONMENT, e.environment()).close();
    out.tag(STATUS, e.status());
    out.key(TIMESTAMP).string(NanoTimestamps.format(stamped.timestampNanos())).close();
    return out.json.toByteArray();
  }

  /** Canonical bytes written member by member; the caller gives each object's keys in order. */
  private static final class Writer {
    private final JcsOutput json;
    private boolean first;

    Writer(JcsOutput json) {
      this.json = json;
    }

    Writer open() {
      json.raw('{');
      first = true;
      return this;
    }

    Writer close() {
      json.raw('}');
      first = false;
      return this;
    }

    /** One of the read shape's own keys. */
    Writer key(Key key) {
      separate();
      json.key(key);
      return this;
    }

    /** A key of a document the event carries (details, metadata values): escaped where JSON requires. */
    private Writer documentKey(String key) {
      separate();
      json.string(key).raw(':');
      return this;
    }

    private void separate() {
      if (!first) {
        json.raw(',');
      }
      first = false;
    }

    Writer string(String value) {
      json.string(value);
      return this;
    }

    Writer number(double value) {
      json.number(value);
      return this;
    }

    /** A string field's member, left out when the event has none. */
    Writer field(Key key, String value) {
      return value == null ? this : key(key).string(value);
    }

    /** A tag's member, left out when the tag is empty. */
    Writer tag(Key key, String value) {
      return value == null || value.isEmpty() ? this : key(key).string(value);
    }

    void metadata(List<AuditEvent.MetadataItem> items) {
      json.raw('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          json.raw(',');
        }
        AuditEvent.MetadataItem item = items.get(i);
        open();
        Optional<Boolean> metric = item.isMetricFlag();
        metric.ifPresent(flag -> key(IS_METRIC).json.bool(flag));
        key(NAME).string(item.name());
        key(VALUE).node(item.value());
        close();
      }
      json.raw(']');
    }

    Writer node(JsonNode node) {
      switch (node.getNodeType()) {
        case OBJECT -> {
          String[] keys = new String[node.size()];
          Iterator<String> names = node.fieldNames();
          for (int i = 0; i < keys.length; i++) {
            keys[i] = names.next();
          }
          Arrays.sort(keys);
          open();
          for (String key : keys) {
            documentKey(key).node(node.get(key));
          }
          close();
        }
        case ARRAY -> {
          json.raw('[');
          for (int i = 0; i < node.size(); i++) {
            if (i > 0) {
              json.raw(',');
            }
            node(node.get(i));
          }
          json.raw(']');
        }
        case STRING -> string(node.textValue());
        case NUMBER -> number(node.doubleValue());
        case BOOLEAN -> json.bool(node.booleanValue());
        case NULL -> json.raw("null");
        default -> throw new IllegalArgumentException("JSON has no " + node.getNodeType());
      }
      return this;
    }
  }
}
