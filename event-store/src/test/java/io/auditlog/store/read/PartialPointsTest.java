package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.Json;
import org.junit.jupiter.api.Test;

class PartialPointsTest {

  /** An answer as InfluxDB gives it while it writes the second point: some of its fields, not yet its id. */
  private static JsonNode answer() throws Exception {
    return Json.MAPPER.readTree("""
        {"series": [{"name": "web", "columns": ["time", "app", "id", "method"],
          "values": [[1700000000000000002, "shop", null, "GET"],
                     [1700000000000000001, "shop", "01a22fc0-4c65-7b66-82b7-77d2bd9405d5", "POST"]]}]}""");
  }

  @Test
  void aPointSeenWithoutItsIdIsNotAnEventYet() throws Exception {
    assertThat(InfluxEventStore.rows(answer(), row -> true)).singleElement()
        .satisfies(timed -> assertThat(timed.event().path("id").asText())
            .isEqualTo("01a22fc0-4c65-7b66-82b7-77d2bd9405d5"));
  }

  @Test
  void aPointSeenWithItsIdButNotYetItsEventIdIsNotAnEventYet() throws Exception {
    JsonNode answer = Json.MAPPER.readTree("""
        {"series": [{"name": "web", "columns": ["time", "app", "event_id", "id", "latency"],
          "values": [[1700000000000000002, "shop", null, "01a22fc0-4c65-7b66-82b7-77d2bd9405d6", 1.5],
                     [1700000000000000001, "shop", "e1", "01a22fc0-4c65-7b66-82b7-77d2bd9405d5", 2.5]]}]}""");
    assertThat(InfluxEventStore.rows(answer, row -> true)).singleElement()
        .satisfies(timed -> assertThat(timed.event().path("event_id").asText()).isEqualTo("e1"));
  }

  @Test
  void aRowReadForItsIdAloneIsWholeWithIt() throws Exception {
    JsonNode answer = Json.MAPPER.readTree("""
        {"series": [{"name": "web", "columns": ["time", "id"],
          "values": [[1700000000000000001, "01a22fc0-4c65-7b66-82b7-77d2bd9405d5"]]}]}""");
    assertThat(InfluxEventStore.rows(answer, row -> true)).hasSize(1);
  }

  @Test
  void aHistoryPointSeenWithoutAllItsFieldsIsNotStoredYet() throws Exception {
    JsonNode answer = Json.MAPPER.readTree("""
        {"series": [{"name": "web", "columns": ["time", "event_id", "id", "latency", "salt", "seq"],
          "values": [[1700000000000000002, "e2", "01a22fc0-4c65-7b66-82b7-77d2bd9405d6", null, "c2FsdA==", 2],
                     [1700000000000000001, "e1", "01a22fc0-4c65-7b66-82b7-77d2bd9405d5", 2.5, "c2FsdA==", 1]]}]}""");
    assertThat(HistoryPoints.decode(answer)).singleElement()
        .satisfies(point -> assertThat(point.leaf().seq()).isEqualTo(1));
  }
}
