package io.auditlog.store;

import static io.auditlog.model.InfluxNames.*;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.MetadataItem;
import io.auditlog.model.EventCodec;
import io.auditlog.model.Json;
import io.auditlog.model.ReusedBuffer;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.StampedEvent;
import java.util.List;

/**
 * One stamped event as one InfluxDB line: measurement = category, the categorical strings its tenant's
 * {@link TagShape} names as tags, the others, ids, origin, text and JSON as string fields, the measures as floats
 * ({@code affected_resources} and {@code stage} as integers), custom metrics as float fields, and the receive time in
 * nanoseconds. The same event always gives the same line, so
 * a replay overwrites a point with itself.
 */
public final class LineProtocol {

  private LineProtocol() {
  }

  /** Each writer thread's line, copied out when it is done: lines of 0.5–2 KB, kept up to 64 KB. */
  private static final ReusedBuffer<StringBuilder> LINES = ReusedBuffer.text(2048, 64 * 1024);

  /** No category holds a space, so no event line starts like this. */
  private static final String TRAIL_MEASUREMENT = escapeMeasurement(InfluxNames.TRAILS);

  /** True for a line of the trail index rather than of an event. */
  public static boolean isTrail(String line) {
    return line.startsWith(TRAIL_MEASUREMENT + ",") || line.startsWith(TRAIL_MEASUREMENT + " ");
  }

  /**
   * The event's line in its tenant's shape, then its line in the trail index; both are needed for the event to be
   * found. {@code leaf} is the event's place in the tenant's verifiable history, or null for an event stored outside
   * it.
   */
  public static List<String> encodeWithTrail(StampedEvent stamped, HistoryLeaf leaf, TagShape shape) {
    String seriesKey = seriesKey(stamped.event(), shape);
    return List.of(encode(stamped, seriesKey, leaf, shape), trail(stamped, seriesKey));
  }

  /** The event's line and its trail line, outside the history, in the eight-tag shape. */
  public static List<String> encodeWithTrail(StampedEvent stamped) {
    return encodeWithTrail(stamped, null, TagShape.EIGHT_TAGS);
  }

  public static String encode(StampedEvent stamped, HistoryLeaf leaf, TagShape shape) {
    return encode(stamped, seriesKey(stamped.event(), shape), leaf, shape);
  }

  /** The event's line, outside the history, in the eight-tag shape. */
  public static String encode(StampedEvent stamped) {
    return encode(stamped, null, TagShape.EIGHT_TAGS);
  }

  /**
   * The event's point in the trail index ({@link InfluxNames#TRAILS}, in its event id's bucket): its {@code event_id}
   * and the series key of its own point, at the same timestamp, so a trail is found without touching every series.
   */
  static String trail(StampedEvent stamped, String seriesKey) {
    StringBuilder line = new StringBuilder(seriesKey.length() + 96).append(trailSeries(stamped.eventId()))
        .append(' ');
    Fields fields = new Fields(line);
    fields.text(FIELD_EVENT_ID, stamped.eventId());
    fields.text(InfluxNames.FIELD_SERIES, seriesKey);
    return line.append(' ').append(stamped.timestampNanos()).toString();
  }

  /**
   * Lines that overwrite an event's trail index points with empty fields, in its bucket and in the bucketless series
   * of points written before buckets: nothing of the event remains there, and no trail finds it.
   */
  public static List<String> emptiedTrail(String eventId, long timestampNanos) {
    return List.of(emptiedTrailPoint(trailSeries(eventId), timestampNanos),
        emptiedTrailPoint(TRAIL_MEASUREMENT, timestampNanos));
  }

  private static String emptiedTrailPoint(String series, long timestampNanos) {
    StringBuilder line = new StringBuilder(series).append(' ');
    Fields fields = new Fields(line);
    fields.text(FIELD_EVENT_ID, "");
    fields.text(InfluxNames.FIELD_SERIES, "");
    return line.append(' ').append(timestampNanos).toString();
  }

  /** The series of the trail index that holds the points of {@code eventId}. */
  public static String trailSeries(String eventId) {
    StringBuilder series = new StringBuilder(TRAIL_MEASUREMENT);
    tag(series, InfluxNames.TAG_TRAIL_BUCKET, InfluxNames.trailBucket(eventId));
    return series.toString();
  }

  /** Measurement and the shape's tags, escaped, in key order: the identity of the event's series. */
  static String seriesKey(AuditEvent e, TagShape shape) {
    StringBuilder line = new StringBuilder(256);
    line.append(escapeMeasurement(e.category()));
    for (String key : shape.tags()) {
      String value = categorical(e, key);
      if (!value.isEmpty()) {
        tag(line, key, value);
      }
    }
    return line.toString();
  }

  /** A categorical string of the event by its column; {@code ""} for a resource type it lacks. */
  private static String categorical(AuditEvent e, String column) {
    return switch (column) {
      case TAG_APP -> e.application();
      case TAG_ENV -> e.environment();
      case TAG_EVENT_NAME -> e.event().name();
      case TAG_EVENT_TYPE -> e.event().type();
      case TAG_LEVEL -> e.level();
      case TAG_METHOD -> e.method();
      case TAG_RESOURCE_TYPE -> e.resource().flatMap(AuditEvent.Resource::type).orElse("");
      case TAG_STATUS -> e.status();
      default -> throw new IllegalArgumentException("not a categorical column: " + column);
    };
  }

  private static String encode(StampedEvent stamped, String seriesKey, HistoryLeaf leaf, TagShape shape) {
    AuditEvent e = stamped.event();
    StringBuilder line = LINES.cleared();
    line.append(seriesKey).append(' ');
    Fields fields = new Fields(line);
    for (String column : InfluxNames.TAGS) {
      if (!shape.isTag(column)) {
        fields.text(column, categorical(e, column));
      }
    }
    fields.text(FIELD_ID, stamped.id());
    fields.text(FIELD_EVENT_ID, stamped.eventId());
    fields.integer(FIELD_STAGE, stamped.stage());
    fields.text(FIELD_ORIGIN, e.actor().origin());
    fields.number(FIELD_TOTAL_DURATION, e.event().totalDuration());
    fields.integer(FIELD_AFFECTED_RESOURCES, e.event().affectedResources());
    fields.number(FIELD_LATENCY, e.event().latency());
    fields.number(FIELD_CPU_USAGE, e.event().cpuUsage());
    fields.number(FIELD_MEMORY_USAGE, e.event().memoryUsage());
    e.event().description().ifPresent(d -> fields.text(FIELD_DESCRIPTION, d));
    e.event().detail().ifPresent(d -> fields.text(FIELD_EVENT_DETAIL, Json.toText(d)));
    e.actor().detail().ifPresent(d -> fields.text(FIELD_ACTOR_DETAIL, Json.toText(d)));
    e.resource().ifPresent(r -> {
      fields.bool(FIELD_RESOURCE, true);
      r.id().ifPresent(v -> fields.text(FIELD_RESOURCE_ID, v));
      r.name().ifPresent(v -> fields.text(FIELD_RESOURCE_NAME, v));
      r.detail().ifPresent(v -> fields.text(FIELD_RESOURCE_DETAIL, Json.toText(v)));
    });
    e.metadata().ifPresent(items -> fields.text(FIELD_METADATA, Json.toText(EventCodec.toNode(items))));
    for (MetadataItem metric : e.metrics()) {
      fields.number(metric.name(), metric.value().doubleValue());
    }
    if (leaf != null) {
      fields.integer(FIELD_SEQ, leaf.seq());
      fields.text(FIELD_SALT, leaf.salt());
    }
    line.append(' ').append(stamped.timestampNanos());
    return line.toString();
  }

  private static void tag(StringBuilder line, String key, String value) {
    line.append(',').append(key).append('=').append(escapeTag(value));
  }

  /**
   * InfluxDB 1.x unescapes only {@code \,} and {@code \ } in measurements (and {@code \=} in tags); any other
   * backslash is stored as it is, so backslashes are written literally. The validator refuses the values this cannot
   * represent (a backslash before a space, comma or equals sign, or at the end).
   */
  public static String escapeMeasurement(String name) {
    return name.replace(",", "\\,").replace(" ", "\\ ");
  }

  public static String escapeTag(String value) {
    return value.replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ");
  }

  /** A string field's value between its double quotes. */
  public static String escapeText(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Appends comma-separated fields. */
  private static final class Fields {
    private final StringBuilder line;
    private boolean first = true;

    Fields(StringBuilder line) {
      this.line = line;
    }

    private StringBuilder key(String key) {
      if (!first) {
        line.append(',');
      }
      first = false;
      return line.append(escapeTag(key)).append('=');
    }

    void text(String key, String value) {
      key(key).append('"').append(escapeText(value)).append('"');
    }

    void number(String key, double value) {
      key(key).append(value);
    }

    void integer(String key, long value) {
      key(key).append(value).append('i');
    }

    void bool(String key, boolean value) {
      key(key).append(value);
    }
  }
}
