package io.auditlog.bench;

import static io.auditlog.model.InfluxNames.TAG_APP;
import static io.auditlog.model.InfluxNames.TAG_ENV;
import static io.auditlog.model.InfluxNames.TAG_EVENT_NAME;
import static io.auditlog.model.InfluxNames.TAG_EVENT_TYPE;
import static io.auditlog.model.InfluxNames.TAG_LEVEL;
import static io.auditlog.model.InfluxNames.TAG_METHOD;
import static io.auditlog.model.InfluxNames.TAG_RESOURCE_TYPE;
import static io.auditlog.model.InfluxNames.TAG_STATUS;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.LineProtocol;
import java.util.List;

/**
 * The InfluxDB encodings the write and query measurements compare: today's (eight tags and a point in the trail
 * index per event), the same event line without the trail point, and four tags with method, event name, event type
 * and resource type as string fields (no trail point). Every other field is today's.
 */
enum SchemaCandidate {

  TAGS8_TRAIL("tags8+trail"),
  TAGS8("tags8"),
  TAGS4("tags4");

  final String label;

  SchemaCandidate(String label) {
    this.label = label;
  }

  /** The event's lines in this encoding. */
  List<String> encode(StampedEvent event) {
    return switch (this) {
      case TAGS8_TRAIL -> LineProtocol.encodeWithTrail(event);
      case TAGS8 -> List.of(LineProtocol.encode(event));
      case TAGS4 -> List.of(fourTags(event));
    };
  }

  /** True when the strings that left the series key are compared as fields. */
  boolean stringsAreFields() {
    return this == TAGS4;
  }

  private static String fourTags(StampedEvent stamped) {
    AuditEvent e = stamped.event();
    StringBuilder line = new StringBuilder(512).append(LineProtocol.escapeMeasurement(e.category()));
    tag(line, TAG_APP, e.application());
    tag(line, TAG_ENV, e.environment());
    tag(line, TAG_LEVEL, e.level());
    tag(line, TAG_STATUS, e.status());
    line.append(' ');
    text(line, TAG_METHOD, e.method());
    text(line, TAG_EVENT_NAME, e.event().name());
    text(line, TAG_EVENT_TYPE, e.event().type());
    e.resource().flatMap(AuditEvent.Resource::type).ifPresent(type -> text(line, TAG_RESOURCE_TYPE, type));
    return line.append(fieldsAndTime(LineProtocol.encode(stamped))).toString();
  }

  private static void tag(StringBuilder line, String key, String value) {
    line.append(',').append(key).append('=').append(LineProtocol.escapeTag(value));
  }

  private static void text(StringBuilder line, String key, String value) {
    line.append(key).append("=\"").append(LineProtocol.escapeText(value)).append("\",");
  }

  /**
   * What follows the series key of a line: its fields and timestamp. The key ends at the first space without a
   * backslash before it (the validator refuses a tag value with a backslash before a space).
   */
  private static String fieldsAndTime(String line) {
    int space = line.indexOf(' ');
    while (line.charAt(space - 1) == '\\') {
      space = line.indexOf(' ', space + 1);
    }
    return line.substring(space + 1);
  }
}
