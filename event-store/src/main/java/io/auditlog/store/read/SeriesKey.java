package io.auditlog.store.read;

import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.TagShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A series key as line protocol writes it ({@code measurement,tag=value,...} with {@code \,}, {@code \=} and
 * {@code \ } escapes), read back into its measurement and tags.
 */
public record SeriesKey(String measurement, Map<String, String> tags) {

  /**
   * The InfluxQL condition that selects exactly this series: each tag of its shape equal, and every other tag of that
   * shape absent (a tag compared with {@code ''} matches series without it), so a series with one more tag is never
   * included.
   */
  InfluxQl condition() {
    List<InfluxQl> condition = new ArrayList<>();
    for (String tag : shape().tags()) {
      condition.add(InfluxQl.identifier(tag).then(" = ").then(InfluxQl.string(tags.getOrDefault(tag, ""))));
    }
    return InfluxQl.join(condition, " AND ");
  }

  /**
   * The shape of the points of this series: eight tags when it has a {@code method} tag (every event has a method),
   * else four.
   */
  TagShape shape() {
    return tags.containsKey(InfluxNames.TAG_METHOD) ? TagShape.EIGHT_TAGS : TagShape.FOUR_TAGS;
  }

  /**
   * The series of a row read with {@code SELECT *} from points of this shape: its measurement and the tags it has.
   * Read in the four-tag shape, a row of an eight-tag point gives a coarser series that holds the point's own.
   */
  static SeriesKey of(InfluxEventStore.Row row, TagShape shape) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String tag : shape.tags()) {
      com.fasterxml.jackson.databind.JsonNode value = row.columns().get(tag);
      if (value != null && !value.asText().isEmpty()) {
        tags.put(tag, value.asText());
      }
    }
    return new SeriesKey(row.category(), tags);
  }

  public static SeriesKey parse(String key) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '\\' && i + 1 < key.length() && ",= ".indexOf(key.charAt(i + 1)) >= 0) {
        current.append('\u0000').append(key.charAt(++i));
      } else if (c == ',') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    Map<String, String> tags = new LinkedHashMap<>();
    for (String part : parts.subList(1, parts.size())) {
      int equals = indexOfUnescaped(part, '=');
      tags.put(unescape(part.substring(0, equals)), unescape(part.substring(equals + 1)));
    }
    return new SeriesKey(unescape(parts.get(0)), tags);
  }

  /** Escaped characters were marked with a NUL before them (NUL never occurs in stored keys). */
  private static int indexOfUnescaped(String part, char wanted) {
    for (int i = 0; i < part.length(); i++) {
      if (part.charAt(i) == '\u0000') {
        i++;
      } else if (part.charAt(i) == wanted) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a tag: " + part);
  }

  private static String unescape(String text) {
    return text.replace("\u0000", "");
  }
}
