package io.auditlog.filter;

/**
 * A resolved filter variable: its canonical name, what kind of value it has, the InfluxDB column holding it, and
 * whether every stored event has it.
 */
public record Variable(String name, Kind kind, String column, boolean alwaysPresent) {

  /** What a variable's values are and where they live. */
  public enum Kind {
    /** The measurement. */
    CATEGORY,
    /** A string tag. */
    TAG,
    /** A string field. */
    TEXT,
    /** A numeric field (built-in measures, stage, custom metrics). */
    NUMBER,
    /** A value inside the stored metadata JSON; {@code column} is the metadata item's name. */
    METADATA,
    /** The event's time. */
    TIME,
    /** Time elapsed since the event, relative to the moment the filter runs. */
    AGE
  }
}
