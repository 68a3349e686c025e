package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private static final String S1_H = "--5c1a3e7f-H--\n";

  static ObjectNode valid(String text) throws EntryRejected {
    ObjectNode event = GoldenEventsTest.event(text, Optional.empty());
    assertThat(new EventValidator().validate(event)).hasSize(1);
    return event;
  }

  static JsonNode metadata(ObjectNode event, String name) {
    for (JsonNode item : event.path("metadata")) {
      if (item.path("name").asText().equals(name)) {
        return item.path("value");
      }
    }
    return null;
  }

  @Test
  void hundredFiftyMessagesKeepAHundredWithTheDisruptiveOne() throws Exception {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      h.append(i == 120 ? "Message: Access denied with code 403 (phase 2). Stop. [id \"949110\"] [severity \"2\"]"
          : "Message: Warning. Matched. [id \"" + (900000 + i) + "\"] [msg \"m" + i + "\"] [severity \"4\"]")
          .append('\n');
    }
    ObjectNode event = valid(Samples.concurrent("S1").replace(S1_H, S1_H + h));
    JsonNode messages = event.at("/event/detail/modsecurity/messages");
    assertThat(messages.size()).isEqualTo(100);
    assertThat(messages.get(99).path("id").asText()).isEqualTo("949110");
    assertThat(messages.get(99).path("disruptive").asBoolean()).isTrue();
    assertThat(metadata(event, "messages_dropped").asInt()).isEqualTo(52);
    assertThat(event.path("event").path("type").asText()).isEqualTo("waf.intercepted");
    assertThat(metadata(event, "rule_ids").size()).isEqualTo(100);
  }

  @Test
  void theDetailStaysWithin60KiBWithHugeSections() throws Exception {
    String s1 = Samples.concurrent("S1");
    String huge = s1.replace("<html><head>", "e".repeat(3_000_000) + "<html><head>")
        .replace("username=admin", "u=" + "c".repeat(2_000_000) + "&username=admin")
        .replace("SecRule \"TX", "k\u00e9\"\\".repeat(500_000) + "\nSecRule \"TX")
        .replace("--5c1a3e7f-Z--", "--5c1a3e7f-J--\n" + "j".repeat(100_000) + "\n--5c1a3e7f-Z--");
    ObjectNode event = valid(huge);
    ObjectNode detail = (ObjectNode) event.at("/event/detail");
    assertThat(Json.toBytes(detail).length).isLessThanOrEqualTo(60 * 1024);
    JsonNode truncated = detail.at("/modsecurity/truncated");
    assertThat(truncated.path("E").asInt()).isGreaterThan(3_000_000);
    assertThat(truncated.has("C")).isTrue();
    assertThat(truncated.has("K")).isTrue();
    assertThat(truncated.has("J")).isTrue();
    assertThat(truncated.has("H")).isFalse();
    assertThat(detail.at("/modsecurity/sections/B").asText()).startsWith("POST /account/login.php");
    assertThat(detail.at("/modsecurity/messages").size()).isEqualTo(2);
    assertThat(RawEntry.rebuild(Samples.json(Json.toText(event)))).isEmpty();
  }

  @Test
  void hugeMessagesStillFit() throws Exception {
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      h.append("Message: Warning. ").append("t".repeat(8000)).append(" [id \"").append(i).append("\"] [msg \"")
          .append("m".repeat(5000)).append("\"] [data \"").append("d".repeat(3000)).append("\"]\n");
    }
    ObjectNode event = valid(Samples.concurrent("S1").replace(S1_H, S1_H + h));
    JsonNode first = event.at("/event/detail/modsecurity/messages/0");
    assertThat(first.path("id").asText()).isEqualTo("0");
    assertThat(first.path("msg").asText()).hasSize(256);
    assertThat(event.at("/event/detail/modsecurity/truncated/messages").asInt()).isEqualTo(100);
    assertThat(Json.toBytes(event.at("/event/detail")).length).isLessThanOrEqualTo(60 * 1024);
    assertThat(event.at("/event/name").asText().length()).isLessThanOrEqualTo(256);
  }

  @Test
  void messageFieldsAreCutAndTagValuesCleaned() throws Exception {
    String line = "Message: Warning. x [id \"1\"] [msg \"bad\u0001name \\\\\"] [data \"" + "d".repeat(9000)
        + "\"] [severity \"ERROR\"]\n";
    ObjectNode event = valid(Samples.concurrent("S2").replace("--a9d04b21-H--\n", "--a9d04b21-H--\n" + line));
    assertThat(event.at("/event/name").asText()).isEqualTo("bad\uFFFDname \uFFFD");
    assertThat(event.at("/event/detail/modsecurity/messages/0/data").asText()).hasSize(4096);
    assertThat(event.at("/level").asText()).isEqualTo("critical");
  }

  @Test
  void headerLinesAreLimited() throws Exception {
    String headers = "X-H: v\n".repeat(300);
    ObjectNode event = valid(Samples.concurrent("S2").replace("Accept: */*\n", headers + "Accept: */*\n"));
    JsonNode stored = Samples.json(Json.toText(event));
    assertThat(ModsecView.of(stored).orElseThrow().values("REQUEST_HEADERS", Optional.empty())).hasSize(200);
  }

  @Test
  void nonUtf8SectionsAreStoredAsBase64AndRebuilt() throws Exception {
    byte[] s1 = Samples.bytes(Samples.concurrent("S1").replace("<title>403", "<title>\u00ff403"));
    byte[] latin = new String(s1, java.nio.charset.StandardCharsets.UTF_8)
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Entry entry = EntryParser.parse(latin, Limits.DEFAULT);
    ObjectNode event = EventMapper.toEvent(entry, Samples.SOURCE, MappingOptions.DEFAULT);
    assertThat(event.at("/event/detail/modsecurity/base64").toString()).isEqualTo("[\"E\"]");
    assertThat(RawEntry.rebuild(Samples.json(Json.toText(event)))).hasValue(latin);
  }
}
