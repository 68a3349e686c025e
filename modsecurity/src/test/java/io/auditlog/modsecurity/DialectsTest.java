package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventValidator;
import java.time.ZoneId;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DialectsTest {
  private static final String V2_JSON = "{\"transaction\":{\"time\":\"12/Mar/2025:10:15:30.482913 +0100\","
      + "\"transaction_id\":\"Z9FSwn8\",\"remote_address\":\"203.0.113.45\",\"remote_port\":51234,"
      + "\"local_address\":\"192.0.2.10\",\"local_port\":443},\"request\":{\"request_line\":\"GET /a?b=1 HTTP/1.1\","
      + "\"headers\":{\"Host\":\"www.example.com\"}},\"response\":{\"protocol\":\"HTTP/1.1\",\"status\":403,"
      + "\"headers\":{}},\"audit_data\":{\"messages\":[\"Warning. Found. [id \\\"1\\\"] [msg \\\"m\\\"] "
      + "[severity \\\"WARNING\\\"]\"],\"action\":{\"intercepted\":true,\"phase\":2},"
      + "\"stopwatch\":{\"p1\":100,\"p2\":200},\"producer\":[\"ModSecurity for Apache/2.9.7\"],"
      + "\"engine_mode\":\"ENABLED\"}}";

  @Test
  void v2JsonMapsLikeNative() throws Exception {
    ObjectNode event = GoldenEventsTest.event(V2_JSON, java.util.Optional.empty());
    new EventValidator().validate(event);
    assertThat(event.path("method").asText()).isEqualTo("GET");
    assertThat(event.path("status").asText()).isEqualTo("403");
    assertThat(event.path("level").asText()).isEqualTo("warning");
    assertThat(event.at("/event/type").asText()).isEqualTo("waf.intercepted");
    assertThat(event.at("/event/latency").asDouble()).isEqualTo(0.0003);
    assertThat(event.at("/resource/id").asText()).isEqualTo("/a");
    assertThat(LimitsTest.metadata(event, "format").asText()).isEqualTo("json-2");
    assertThat(LimitsTest.metadata(event, "sensor_time").asText()).isEqualTo("2025-03-12T10:15:30.482913+01:00");
    assertThat(LimitsTest.metadata(event, "intercept_phase").asInt()).isEqualTo(2);
  }

  @Test
  void v3JsonTimeIsReadInTheSensorZone() throws Exception {
    Entry entry = EntryParser.parse(Samples.bytes(Samples.entry("S4")), Limits.DEFAULT);
    ObjectNode event = EventMapper.toEvent(entry, Samples.SOURCE,
        new MappingOptions(true, ZoneId.of("Europe/Berlin")));
    assertThat(LimitsTest.metadata(event, "sensor_time").asText()).isEqualTo("2025-03-12T10:18:09+01:00");
    assertThat(entry.aLine()).isEqualTo("Wed Mar 12 10:18:09 2025 174177468935.112740 203.0.113.9 60418 "
        + "192.0.2.20 443");
  }

  @Test
  void eventNameCanBeTransaction() throws Exception {
    Entry entry = EntryParser.parse(Samples.bytes(Samples.concurrent("S1")), Limits.DEFAULT);
    assertThat(EventMapper.toEvent(entry, Samples.SOURCE, new MappingOptions(true, ZoneId.of("UTC")))
        .at("/event/name").asText()).isEqualTo("transaction");
    assertThat(entry.aLine())
        .isEqualTo("[12/Mar/2025:10:15:30.482913 +0100] Z9FSwn8AAQEAAB4rBgQAAAAA 203.0.113.45 51234 192.0.2.10 443");
  }

  @Test
  void severities() {
    assertThat(Severity.number("CRITICAL")).hasValue(2);
    assertThat(Severity.number("emerg")).hasValue(0);
    assertThat(Severity.number("7")).hasValue(7);
    assertThat(Severity.number("8")).isEqualTo(OptionalInt.empty());
    assertThat(Severity.number("none")).isEmpty();
  }
}
