package io.auditlog.store;

import io.auditlog.model.InfluxNames;
import java.util.List;

/**
 * Which of an event's categorical strings a tenant's points carry as tags; the others are string fields, written on
 * every point (an absent resource type as {@code ""}, as a missing tag reads). Fewer tags mean fewer series, and
 * InfluxDB 1.x's write and read pace follows the number of series (docs/decisions.md). A tenant's points all have
 * one shape.
 */
public enum TagShape {

  /** All eight as tags: the shape of tenants that had signed up before the four-tag shape existed. */
  EIGHT_TAGS(InfluxNames.TAGS),
  /** {@code app}, {@code env}, {@code level} and {@code status} as tags; the shape of every later tenant. */
  FOUR_TAGS(List.of(InfluxNames.TAG_APP, InfluxNames.TAG_ENV, InfluxNames.TAG_LEVEL, InfluxNames.TAG_STATUS));

  private final List<String> tags;

  TagShape(List<String> tags) {
    this.tags = tags;
  }

  /** The tags of this shape, in the order line protocol writes them (sorted by key). */
  public List<String> tags() {
    return tags;
  }

  /** True when a column of this shape is a tag, which InfluxDB can group by and a deletion can name. */
  public boolean isTag(String column) {
    return tags.contains(column);
  }
}
