package io.auditlog.store.read;

import static io.auditlog.model.InfluxNames.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One series of an InfluxDB answer, read row by row: each row as a column → value map, and whether it is a whole
 * event. InfluxDB makes a point's fields visible one at a time as it writes them, so a read at that moment can return
 * some of them (an id without its {@code event_id}, say); such a row is left out until the point is whole. The fields a
 * whole row must have are worked out once per series, not for every row.
 */
final class SeriesRows {

  /** The fields the ingest worker writes on every event, whatever it holds. */
  private static final Set<String> WRITTEN_ON_EVERY_EVENT = Set.of(FIELD_ID, FIELD_EVENT_ID, FIELD_STAGE, FIELD_ORIGIN,
      FIELD_TOTAL_DURATION, FIELD_AFFECTED_RESOURCES, FIELD_LATENCY, FIELD_CPU_USAGE, FIELD_MEMORY_USAGE);

  private final String[] names;
  private final String[] required;

  private SeriesRows(String[] names, String[] required) {
    this.names = names;
    this.required = required;
  }

  /** The rows of a series whose columns are {@code columns}. */
  static SeriesRows of(JsonNode columns) {
    String[] names = new String[columns.size()];
    List<String> required = new ArrayList<>();
    required.add(FIELD_ID);
    for (int i = 0; i < names.length; i++) {
      names[i] = columns.get(i).asText();
      if (WRITTEN_ON_EVERY_EVENT.contains(names[i]) && !names[i].equals(FIELD_ID)) {
        required.add(names[i]);
      }
    }
    return new SeriesRows(names, required.toArray(String[]::new));
  }

  /** One row as a column → value map, without the nulls of columns this point does not have. */
  Map<String, JsonNode> row(JsonNode values) {
    // Sized for its columns: a listing holds tens of thousands of two-column rows at a time.
    Map<String, JsonNode> row = new HashMap<>(names.length * 4 / 3 + 1);
    for (int i = 0; i < names.length; i++) {
      JsonNode value = values.get(i);
      if (value != null && !value.isNull()) {
        row.put(names[i], value);
      }
    }
    return row;
  }

  /**
   * Whether a row of this series is a whole event: it has its id and every other selected field that every event has.
   * A field an event may lack (a description, a resource) cannot be told from one not visible yet; the window is the
   * microseconds in which the store writes one batch.
   */
  boolean whole(Map<String, JsonNode> row) {
    for (String name : required) {
      if (!row.containsKey(name)) {
        return false;
      }
    }
    return true;
  }
}
