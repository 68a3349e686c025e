package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import org.junit.jupiter.api.Test;

/** Entries the parser accepts map to events the validator accepts, whatever their values hold. */
class StorableTest {
  private final EventValidator validator = new EventValidator();

  static ObjectNode event(String body) throws EntryRejected {
    return EventMapper.toEvent(EntryParser.parse(Samples.bytes(body), Limits.DEFAULT), Samples.SOURCE,
        MappingOptions.DEFAULT);
  }

  @Test
  void controlCharactersInTheUriAndHeadersAreCleanedToFit() throws Exception {
    String controls = "\u0001".repeat(4000);
    ObjectNode event = event("--ab12cd34-A--\n[12/Mar/2025:10:15:30 +0100] ctl-3 203.0.113.45 51234 192.0.2.10 443\n"
        + "--ab12cd34-B--\nGET /search?q=" + controls + " HTTP/1.1\nHost: www.example.com" + controls.substring(1000)
        + "\nUser-Agent: " + controls + "\nReferer: x\n\n--ab12cd34-F--\nHTTP/1.1 200 OK\n\n--ab12cd34-H--\n"
        + "Stopwatch: 1 2\n\n--ab12cd34-Z--\n");
    validator.validate(event);
    assertThat(Json.toText(event.get("metadata"))).doesNotContain("\\u0001").contains("\uFFFD");
    assertThat(event.path("resource").path("name").asText()).startsWith("www.example.com\uFFFD");
  }

  @Test
  void aMessageWithAHugeVerIsShortenedToFit() throws Exception {
    ObjectNode event = event("""
        {"transaction": {"client_ip": "203.0.113.9", "time_stamp": "Wed Mar 12 10:18:09 2025", "client_port": 1,
        "host_ip": "192.0.2.20", "host_port": 443, "unique_id": "poison-1", "request": {"method": "GET",
        "http_version": 1.1, "uri": "/x", "headers": {"Host": "a.example.com"}}, "response": {"http_code": 403,
        "headers": {}}, "messages": [{"message": "m", "details": {"match": "Access denied with code 403 (phase 2). x",
        "ruleId": "1", "ver": "%s", "rev": "%s", "tags": ["%s"], "severity": "2"}}]}}
        """.formatted("v".repeat(70_000), "r".repeat(70_000), "\\u0001".repeat(70_000)).replace("\n", " "));
    validator.validate(event);
    JsonNode message = event.path("event").path("detail").path("modsecurity").path("messages").get(0);
    assertThat(message.path("ver").asText()).startsWith("vvv").hasSizeLessThanOrEqualTo(256);
    assertThat(message.path("id").asText()).isEqualTo("1");
  }
}
