package io.auditlog.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.NanoTimestamps;
import io.auditlog.model.ReusedText;
import io.auditlog.model.StampedEvent;
import io.auditlog.verify.Jcs;
import java.nio.charset.StandardCharsets;
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

  private static final ReusedText TEXT = new ReusedText(1024, 16 * 1024);

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
    Writer out = new Writer(TEXT.cleared());
    out.open();
    out.key("actor").open();
    e.actor().detail().ifPresent(detail -> out.key("detail").node(detail));
    out.field("origin", e.actor().origin()).close();
    out.key("category").string(e.category());
    out.key("event").open();
    out.key("affected_resources").number(action.affectedResources());
    out.key("cpu_usage").number(action.cpuUsage());
    action.description().ifPresent(description -> out.key("description").string(description));
    action.detail().ifPresent(detail -> out.key("detail").node(detail));
    out.key("latency").number(action.latency());
    out.key("memory_usage").number(action.memoryUsage());
    out.tag("name", action.name());
    out.key("stage").number(stamped.stage());
    out.key("total_duration").number(action.totalDuration());
    out.tag("type", action.type()).close();
    out.key("event_id").string(stamped.eventId());
    out.key("id").string(stamped.id());
    out.tag("level", e.level());
    e.metadata().ifPresent(items -> out.key("metadata").metadata(items));
    out.tag("method", e.method());
    e.resource().ifPresent(resource -> {
      out.key("resource").open();
      resource.detail().ifPresent(detail -> out.key("detail").node(detail));
      resource.id().ifPresent(id -> out.key("id").string(id));
      resource.name().ifPresent(name -> out.key("name").string(name));
      out.tag("type", resource.type().orElse(null)).close();
    });
    out.key("source_information").open();
    out.tag("application", e.application());
    out.tag("environment", e.environment()).close();
    out.tag("status", e.status());
    out.key("timestamp").string(NanoTimestamps.format(stamped.timestampNanos())).close();
    return out.text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Canonical text written member by member; the caller gives each object's keys in order. */
  private static final class Writer {
    private final StringBuilder text;
    private boolean first;

    Writer(StringBuilder text) {
      this.text = text;
    }

    Writer open() {
      text.append('{');
      first = true;
      return this;
    }

    Writer close() {
      text.append('}');
      first = false;
      return this;
    }

    Writer key(String key) {
      if (!first) {
        text.append(',');
      }
      first = false;
      Jcs.appendString(text, key);
      text.append(':');
      return this;
    }

    Writer string(String value) {
      Jcs.appendString(text, value);
      return this;
    }

    Writer number(double value) {
      Jcs.appendNumber(text, value);
      return this;
    }

    /** A string field's member, left out when the event has none. */
    Writer field(String key, String value) {
      return value == null ? this : key(key).string(value);
    }

    /** A tag's member, left out when the tag is empty. */
    Writer tag(String key, String value) {
      return value == null || value.isEmpty() ? this : key(key).string(value);
    }

    void metadata(List<AuditEvent.MetadataItem> items) {
      text.append('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          text.append(',');
        }
        AuditEvent.MetadataItem item = items.get(i);
        open();
        Optional<Boolean> metric = item.isMetricFlag();
        metric.ifPresent(flag -> key("is_metric").text.append(flag.booleanValue()));
        key("name").string(item.name());
        key("value").node(item.value());
        close();
      }
      text.append(']');
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
            key(key).node(node.get(key));
          }
          close();
        }
        case ARRAY -> {
          text.append('[');
          for (int i = 0; i < node.size(); i++) {
            if (i > 0) {
              text.append(',');
            }
            node(node.get(i));
          }
          text.append(']');
        }
        case STRING -> string(node.textValue());
        case NUMBER -> number(node.doubleValue());
        case BOOLEAN -> text.append(node.booleanValue());
        case NULL -> text.append("null");
        default -> throw new IllegalArgumentException("JSON has no " + node.getNodeType());
      }
      return this;
    }
  }
}
