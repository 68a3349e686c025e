package io.auditlog.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.modsecurity.ModsecView;
import io.auditlog.modsecurity.Severity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BinaryOperator;

/**
 * The values of the variables read from a whole stored event (the JSON {@code /api/events/get} answers):
 * {@code TX_ID}/{@code UNIQUE_ID}, {@code SENSOR_DATE} and the ModSecurity variables. An event without
 * {@code event.detail.modsecurity} has no values for the latter.
 */
public final class EventJsonValues {

  private final JsonNode event;
  private Optional<ModsecView> view;

  public EventJsonValues(JsonNode event) {
    this.event = event;
  }

  /** The value of an {@link Variable.Kind#IDS}, {@link Variable.Kind#SENSOR_TIME} or {@link Variable.Kind#MODSEC}. */
  public Object value(Variable variable) {
    return switch (variable.kind()) {
      case IDS -> ids();
      case SENSOR_TIME -> sensorTime();
      case MODSEC -> modsec(variable);
      default -> throw new IllegalArgumentException(variable.name() + " is not read from the event's JSON");
    };
  }

  /** The event id, then the ModSecurity unique id if the event has one. */
  private List<String> ids() {
    List<String> ids = new ArrayList<>(2);
    if (event.path("id").isTextual()) {
      ids.add(event.path("id").textValue());
    }
    JsonNode unique = metadata(event, "unique_id");
    if (unique != null && unique.isTextual()) {
      ids.add(unique.textValue());
    }
    return ids;
  }

  /**
   * {@code sensor_time} in epoch nanoseconds; null when absent, not a time, or beyond the times the store holds (a
   * sensor clock in 2300 is no time to compare: taken as an end of the range, it would equal every later literal).
   */
  private Long sensorTime() {
    JsonNode time = metadata(event, "sensor_time");
    if (time == null || !time.isTextual()) {
      return null;
    }
    try {
      Instant instant = OffsetDateTime.parse(time.textValue()).toInstant();
      return instant.equals(StoreTime.clamp(instant)) ? StoreTime.nanos(instant) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private List<String> modsec(Variable variable) {
    if (view == null) {
      view = ModsecView.of(event);
    }
    if (view.isEmpty()) {
      return List.of();
    }
    return switch (variable.column()) {
      case "HIGHEST_SEVERITY" -> severity(Math::min);
      case "LOWEST_SEVERITY" -> severity(Math::max);
      default -> view.get().values(variable.column(), variable.member());
    };
  }

  /** The most or least severe message severity as its number (0 the most severe); none without severities. */
  private List<String> severity(BinaryOperator<Integer> pick) {
    return view.get().values("RULE_SEV", Optional.empty()).stream()
        .map(Severity::number).filter(OptionalInt::isPresent).map(OptionalInt::getAsInt)
        .reduce(pick).map(number -> List.of(Integer.toString(number))).orElse(List.of());
  }

  /** The value of the metadata item with this name, or null. */
  public static JsonNode metadata(JsonNode event, String name) {
    for (JsonNode item : event.path("metadata")) {
      if (name.equals(item.path("name").asText())) {
        return item.get("value");
      }
    }
    return null;
  }
}
