package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The variables read from a whole stored event: both ids, the sensor's time. */
class EventJsonValuesTest {

  private static final JsonNode EVENT = parse("{\"id\":\"0190-e1\",\"metadata\":[{\"name\":\"unique_id\","
      + "\"value\":\"Z9FSwn8AAQEAAB4rBgQAAAAA\"},{\"name\":\"sensor_time\","
      + "\"value\":\"2025-03-12T10:15:30.482913+01:00\"}]}");
  private static final JsonNode PLAIN = parse("{\"id\":\"0190-e2\",\"metadata\":[{\"name\":\"sensor_time\","
      + "\"value\":\"yesterday\"}]}");

  private static JsonNode parse(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource({"2300-01-01T00:00:00Z", "1500-01-01T00:00:00Z"})
  void aSensorTimeBeyondWhatTheStoreHoldsIsNoTime(String sensorTime) {
    JsonNode event = parse("{\"id\":\"0190-e3\",\"metadata\":[{\"name\":\"sensor_time\",\"value\":\""
        + sensorTime + "\"}]}");
    FilterEvaluator evaluator = new FilterEvaluator(Instant.now());
    for (String filter : new String[] {"SENSOR_DATE > 2299-01-01", "SENSOR_DATE = 2400-01-01",
        "SENSOR_DATE = 1600-01-01", "SENSOR_DATE < 1600-01-01", "&SENSOR_DATE = 1"}) {
      assertThat(evaluator.matches(FilterParser.parse(filter), new EventJsonValues(event)::value)).as(filter)
          .isFalse();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "UNIQUE_ID = Z9FSwn8AAQEAAB4rBgQAAAAA       | true  | false",
      "TX_ID = 0190-e1                            | true  | false",
      "TX_ID = 0190-e2                            | false | true",
      "UNIQUE_ID != 0190-e1                       | false | true",
      "&UNIQUE_ID = 2                             | true  | false",
      "&TX_ID = 1                                 | false | true",
      "SENSOR_DATE >= '2025-03-12 09:15:30'       | true  | false",
      "SENSOR_DATE < 2025-03-12T09:15:30.482914Z  | true  | false",
      "SENSOR_DATE < 2025-03-12T09:15:30.482913Z  | false | false",
      "NOT SENSOR_DATE < 2025-03-12               | true  | true",
      "&SENSOR_DATE = 0                           | false | true"})
  void readsBothIdsAndTheSensorsTime(String filter, boolean onEntry, boolean onPlainEvent) {
    FilterEvaluator evaluator = new FilterEvaluator(Instant.now());
    Filter parsed = FilterParser.parse(filter);
    assertThat(evaluator.matches(parsed, new EventJsonValues(EVENT)::value)).as(filter).isEqualTo(onEntry);
    assertThat(evaluator.matches(parsed, new EventJsonValues(PLAIN)::value)).as(filter).isEqualTo(onPlainEvent);
  }
}
