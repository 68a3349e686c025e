package io.auditlog.modsecurity;

import java.time.ZoneId;
import java.time.ZoneOffset;

/** How entries become events: the event name choice and the zone of JSON entries' zone-less times. */
public record MappingOptions(boolean eventNameIsTransaction, ZoneId sensorZone) {
  public static final MappingOptions DEFAULT = new MappingOptions(false, ZoneOffset.UTC);
}
