package io.auditlog.filter;

import java.util.Optional;

/**
 * A resolved filter variable: its canonical name, what kind of value it has, the InfluxDB column holding it (for
 * {@link Kind#MODSEC}, the ModSecurity variable), whether every stored event has it, the member of a collection
 * ({@code User-Agent} in {@code REQUEST_HEADERS:User-Agent}), and whether it stands for the number of its values
 * ({@code &RULE_ID}).
 */
public record Variable(String name, Kind kind, String column, boolean alwaysPresent, Optional<String> member,
    boolean counted) {

  public Variable(String name, Kind kind, String column, boolean alwaysPresent) {
    this(name, kind, column, alwaysPresent, Optional.empty(), false);
  }

  /** {@code &VAR}: the number of values of this variable, which every event has (0 when it has none). */
  public Variable count() {
    return new Variable("&" + name, kind, column, true, member, true);
  }

  /** What a variable's values are and where they live. */
  public enum Kind {
    /** The measurement. */
    CATEGORY,
    /** A string tag. */
    TAG,
    /** The level tag, which a numeric literal compares by its number ({@link LevelNumbers}). */
    SEVERITY,
    /** A string field. */
    TEXT,
    /** A numeric field (built-in measures, stage, custom metrics). */
    NUMBER,
    /** A value inside the stored metadata JSON; {@code column} is the metadata item's name. */
    METADATA,
    /** The event's time. */
    TIME,
    /** The sensor's time: the {@code sensor_time} metadata item as an instant. */
    SENSOR_TIME,
    /** Time elapsed since the event, relative to the moment the filter runs. */
    AGE,
    /** The event id and the ModSecurity unique id ({@code TX_ID}, {@code UNIQUE_ID}): a list of strings. */
    IDS,
    /** A ModSecurity variable read from the stored entry ({@code event.detail.modsecurity}): a list of strings. */
    MODSEC
  }
}
