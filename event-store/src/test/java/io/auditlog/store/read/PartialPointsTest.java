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
}
