package io.auditlog.bench;

import io.auditlog.model.StampedEvent;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.TagShape;
import java.util.List;

/**
 * The InfluxDB encodings the write and query measurements compare, each {@link LineProtocol}'s own: the four-tag
 * shape with its point in the trail index (what the worker writes for new tenants), the eight-tag shape with it (what
 * it writes for tenants that had signed up before), and each event line without the trail point.
 */
enum SchemaCandidate {

  TAGS4_TRAIL("tags4+trail", TagShape.FOUR_TAGS, true),
  TAGS8_TRAIL("tags8+trail", TagShape.EIGHT_TAGS, true),
  TAGS4("tags4", TagShape.FOUR_TAGS, false),
  TAGS8("tags8", TagShape.EIGHT_TAGS, false);

  final String label;
  final TagShape shape;
  final boolean trail;

  SchemaCandidate(String label, TagShape shape, boolean trail) {
    this.label = label;
    this.shape = shape;
    this.trail = trail;
  }

  /** The encoding of a tenant in this shape, as the worker writes it. */
  static SchemaCandidate written(TagShape shape) {
    return shape == TagShape.FOUR_TAGS ? TAGS4_TRAIL : TAGS8_TRAIL;
  }

  /** The event's lines in this encoding. */
  List<String> encode(StampedEvent event) {
    return trail ? LineProtocol.encodeWithTrail(event, null, shape) : List.of(LineProtocol.encode(event, null, shape));
  }

  /** True when the strings that left the series key are compared as fields. */
  boolean stringsAreFields() {
    return shape == TagShape.FOUR_TAGS;
  }
}
