package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

  private final EventValidator validator = new EventValidator();

  static ObjectNode seedEvent() {
    return SampleEvents.seedJson();
  }

  private List<FieldError> errorsOf(Object body) {
    byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.toBytes(body);
    try {
      validator.validate(Json.parseBody(bytes));
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(422);
      return e.fieldErrors();
    }
    throw new AssertionError("expected a 422 for " + new String(bytes, StandardCharsets.UTF_8));
  }

  @Test
  void acceptsTheSeedEventAndReadsEveryField() {
    AuditEvent event = validator.validate(seedEvent()).get(0);
    assertThat(event.category()).isEqualTo("event_name");
    assertThat(event.application()).isEqualTo("app_name");
    assertThat(event.event().affectedResources()).isEqualTo(1L);
    assertThat(event.event().cpuUsage()).isEqualTo(0.5);
    assertThat(event.actor().origin()).isEqualTo("127.0.0.1");
    assertThat(event.metrics()).extracting(AuditEvent.MetadataItem::name).containsExactly("login_time");
  }

  @Test
  void reportsEveryFailingFieldWithItsLoc() {
    ObjectNode body = seedEvent();
    body.put("status", 200);
    ((ObjectNode) body.get("event")).put("cpu_usage", "high");
    ((ObjectNode) body.get("source_information")).remove("environment");
    assertThat(errorsOf(body)).extracting(FieldError::loc).containsExactlyInAnyOrder(
        List.of("body", "status"),
        List.of("body", "event", "cpu_usage"),
        List.of("body", "source_information", "environment"));
  }

  @Test
  void addressesArrayElementsByIndexAndRejectsTheWholeBatch() {
    ArrayNode batch = Json.MAPPER.createArrayNode();
    batch.add(seedEvent());
    ObjectNode bad = seedEvent();
    ((ObjectNode) bad.get("event")).put("affected_resources", 1.0);
    batch.add(bad);
    assertThat(errorsOf(batch)).containsExactly(new FieldError(
        List.of("body", 1, "event", "affected_resources"), "must be an integer", "type_error.integer"));
  }

  @Test
  void refusesUnknownKeysWhiteSpaceInCategoryAndReservedMetadataNames() {
    ObjectNode body = seedEvent();
    body.put("categroy", "typo");
    body.put("category", "two words");
    ((ObjectNode) body.get("metadata").get(0)).put("name", "Latency");
    assertThat(errorsOf(body)).extracting(FieldError::type).containsExactlyInAnyOrder(
        "value_error.extra", "value_error.str.whitespace", "value_error.reserved");
  }

  @Test
  void refusesTagValuesInfluxDbCannotGiveBackAndCommentLikeCategories() {
    ObjectNode body = seedEvent();
    body.put("method", "ends with\\");
    body.put("status", "a\\,b");
    body.put("category", "#comment");
    assertThat(errorsOf(body)).extracting(FieldError::loc).containsExactlyInAnyOrder(
        List.of("body", "method"), List.of("body", "status"), List.of("body", "category"));
    ObjectNode fine = seedEvent();
    fine.put("method", "back\\slash");
    ((ObjectNode) fine.get("event")).put("description", "ends with\\");
    assertThat(validator.validate(fine)).hasSize(1);
  }

  @Test
  void rejectsDuplicateKeysAndTrailingDataAsInvalidJson() {
    assertThat(errorsOf("{\"category\":\"a\",\"category\":\"b\"}"))
        .singleElement().satisfies(e -> assertThat(e.loc()).containsExactly("body"));
    assertThat(errorsOf("{} {}")).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("value_error.jsondecode"));
  }

  @Test
  void refusesEveryKindOfInvalidUtf8() {
    byte[][] sequences = {{(byte) 0xC3, 'L'}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}};
    for (byte[] sequence : sequences) {
      byte[] body = new byte[sequence.length + 2];
      body[0] = '"';
      System.arraycopy(sequence, 0, body, 1, sequence.length);
      body[body.length - 1] = '"';
      assertThatThrownBy(() -> Json.parseBody(body)).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.fieldErrors().get(0).msg()).isEqualTo("invalid JSON: the body is not valid UTF-8"));
    }
  }

  @Test
  void limitsDetailNestingTo16Levels() {
    ObjectNode body = seedEvent();
    ObjectNode detail = Json.MAPPER.createObjectNode();
    ObjectNode cursor = detail;
    for (int level = 1; level < 17; level++) {
      cursor = cursor.putObject("n");
    }
    ((ObjectNode) body.get("event")).set("detail", detail);
    assertThat(errorsOf(body)).extracting(FieldError::loc).containsExactly(List.of("body", "event", "detail"));
  }

  @Test
  void metricItemsNeedANumber() {
    ObjectNode body = seedEvent();
    ((ObjectNode) body.get("metadata").get(0)).put("value", "fast");
    assertThatThrownBy(() -> validator.validate(body)).isInstanceOf(ApiException.class);
    assertThat(errorsOf(body)).extracting(FieldError::loc).containsExactly(List.of("body", "metadata", 0, "value"));
  }
}
