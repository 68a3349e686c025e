package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventStamper;
import io.auditlog.model.EventValidator;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.LineProtocol;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What goes in comes out: hostile strings in every string field survive line protocol and InfluxDB unchanged. */
class RoundTripIT {

  private static TestQueryService service;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "two words", "comma,separated", "key=value", "quote\"inside", "single'quote",
      "back\\slash", "\\\\double", "ünïcödé ✓ 日本", "emoji 🎉", "slash/and\\/escaped", "trailing space ",
      " leading space", "#hash", "a,=b c\\d", "'; DROP DATABASE x; --", "$param", "/regex.*/"})
  void hostileStringsComeBackUnchanged(String text) throws Exception {
    String tenant = "rt" + UUID.randomUUID().toString().substring(0, 8);
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree("""
        {"category":"cat","source_information":{"application":"app","environment":"env"},
         "method":"M","status":"S","level":"L",
         "event":{"name":"N","type":"T","total_duration":10,"affected_resources":3,"latency":1.5e-7,
                  "cpu_usage":0.1,"memory_usage":123456789.125,"description":"D",
                  "detail":{"nested":{"list":[1,"two",null,true,{"deep":2.5}]}}},
         "actor":{"origin":"O","detail":{}},
         "resource":{"id":"I","name":"R","type":"RT"},
         "metadata":[{"name":"z_first","value":{"a":[1,2]}},{"is_metric":true,"name":"m","value":42},
                     {"is_metric":false,"name":"a_last","value":null}]}""");
    ((ObjectNode) body.get("event")).put("name", text).put("type", text).put("description", "d:" + text);
    ((ObjectNode) body.get("actor")).put("origin", text);
    ((ObjectNode) body.get("resource")).put("id", text).put("name", text).put("type", text);
    body.put("method", text).put("status", text).put("level", text);
    ((ObjectNode) body.get("source_information")).put("environment", "e" + Math.abs(text.hashCode()));
    ((ObjectNode) body.get("event").get("detail")).put("text", text);

    StampedEvent stamped = new EventStamper().stamp(tenant, new EventValidator().validate(body)).get(0);
    assertThat(TestQueryService.provisionedWriter(tenant)
        .write(InfluxNames.database(tenant), List.of(LineProtocol.encode(stamped)))).isEmpty();

    HttpResponse<String> response = service.get("/audit/log?category=cat&app=app&env=" + URLEncoder.encode(
        body.path("source_information").path("environment").asText(), StandardCharsets.UTF_8), tenant);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode events = Json.MAPPER.readTree(response.body());
    assertThat(events).hasSize(1);
    ObjectNode read = (ObjectNode) events.get(0);
    read.remove(List.of("id", "event_id", "timestamp"));
    ((ObjectNode) read.get("event")).remove("stage");
    assertThat(read).isEqualTo(Json.MAPPER.readTree(body.toString()));
  }
}
