package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule of the event contract, one row each: a change to the seed event (a JSON pointer and a new JSON value,
 * or {@code REMOVE}) and the exact loc and type of the single 422 it must cause.
 */
class ValidationRulesTest {

  private final EventValidator validator = new EventValidator();

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // required keys
      "/category                        | REMOVE              | [body, category]                          | value_error.missing",
      "/source_information              | REMOVE              | [body, source_information]                | value_error.missing",
      "/source_information/application  | REMOVE              | [body, source_information, application]   | value_error.missing",
      "/source_information/environment  | REMOVE              | [body, source_information, environment]   | value_error.missing",
      "/method                          | REMOVE              | [body, method]                            | value_error.missing",
      "/status                          | REMOVE              | [body, status]                            | value_error.missing",
      "/level                           | REMOVE              | [body, level]                             | value_error.missing",
      "/event                           | REMOVE              | [body, event]                             | value_error.missing",
      "/event/name                      | REMOVE              | [body, event, name]                       | value_error.missing",
      "/event/type                      | REMOVE              | [body, event, type]                       | value_error.missing",
      "/event/total_duration            | REMOVE              | [body, event, total_duration]             | value_error.missing",
      "/event/affected_resources        | REMOVE              | [body, event, affected_resources]         | value_error.missing",
      "/event/latency                   | REMOVE              | [body, event, latency]                    | value_error.missing",
      "/event/cpu_usage                 | REMOVE              | [body, event, cpu_usage]                  | value_error.missing",
      "/event/memory_usage              | REMOVE              | [body, event, memory_usage]               | value_error.missing",
      "/actor                           | REMOVE              | [body, actor]                             | value_error.missing",
      "/actor/origin                    | REMOVE              | [body, actor, origin]                     | value_error.missing",
      "/metadata/0/name                 | REMOVE              | [body, metadata, 0, name]                 | value_error.missing",
      "/metadata/0/value                | REMOVE              | [body, metadata, 0, value]                | value_error.missing",
      // strings: type, length, white space, control characters
      "/category                        | 7                   | [body, category]                          | type_error.str",
      "/category                        | `\"\"`              | [body, category]                          | value_error.str.length",
      "/category                        | `\"a b\"`           | [body, category]                          | value_error.str.whitespace",
      "/category                        | `\"#x\"`            | [body, category]                          | value_error.str.leading_hash",
      "/source_information/application  | `\"my app\"`        | [body, source_information, application]   | value_error.str.whitespace",
      "/source_information/environment  | `\"x\\u0001\"`      | [body, source_information, environment]   | value_error.str.control",
      "/method                          | `\"\"`              | [body, method]                            | value_error.str.length",
      "/status                          | 200                 | [body, status]                            | type_error.str",
      "/level                           | `\"warn\\u007f\"`   | [body, level]                             | value_error.str.control",
      "/method                          | `\"end\\\\\"`       | [body, method]                            | value_error.str.backslash",
      "/category                        | `\"a\\\\\\\"b\"`     | [body, category]                          | value_error.str.backslash",
      "/event/name                      | `\"\"`              | [body, event, name]                       | value_error.str.length",
      "/event/type                      | `\"t\\n\"`          | [body, event, type]                       | value_error.str.control",
      "/actor/origin                    | `\"\"`              | [body, actor, origin]                     | value_error.str.length",
      "/resource/type                   | `\"\"`              | [body, resource, type]                    | value_error.str.length",
      "/resource/id                     | 1                   | [body, resource, id]                      | type_error.str",
      // numbers: no coercion, finite, not negative; affected_resources is an integer
      "/event/total_duration            | `\"0.1\"`           | [body, event, total_duration]             | type_error.float",
      "/event/latency                   | -0.5                | [body, event, latency]                    | value_error.number.not_ge",
      "/event/memory_usage              | true                | [body, event, memory_usage]               | type_error.float",
      "/event/affected_resources        | 1.0                 | [body, event, affected_resources]         | type_error.integer",
      "/event/affected_resources        | 1e2                 | [body, event, affected_resources]         | type_error.integer",
      "/event/affected_resources        | -1                  | [body, event, affected_resources]         | value_error.number.not_ge",
      "/event/affected_resources        | 99999999999999999999 | [body, event, affected_resources]        | value_error.number.not_le",
      // objects
      "/source_information              | `\"x\"`             | [body, source_information]                | type_error.dict",
      "/event/detail                    | `[1]`               | [body, event, detail]                     | type_error.dict",
      "/actor/detail                    | `\"x\"`             | [body, actor, detail]                     | type_error.dict",
      "/resource                        | `[]`                | [body, resource]                          | type_error.dict",
      "/resource/detail                 | 3                   | [body, resource, detail]                  | type_error.dict",
      "/event/description               | 5                   | [body, event, description]                | type_error.str",
      // unknown keys
      "/extra                           | 1                   | [body, extra]                             | value_error.extra",
      "/event/colour                    | 1                   | [body, event, colour]                     | value_error.extra",
      "/source_information/region       | `\"eu\"`            | [body, source_information, region]        | value_error.extra",
      "/resource/owner                  | `\"x\"`             | [body, resource, owner]                   | value_error.extra",
      "/metadata/0/unit                 | `\"ms\"`            | [body, metadata, 0, unit]                 | value_error.extra",
      // metadata
      "/metadata                        | `{}`                | [body, metadata]                          | type_error.list",
      "/metadata/0                      | 1                   | [body, metadata, 0]                       | type_error.dict",
      "/metadata/0/name                 | `\"9lives\"`        | [body, metadata, 0, name]                 | value_error.str.regex",
      "/metadata/0/name                 | `\"CPU_USAGE\"`     | [body, metadata, 0, name]                 | value_error.reserved",
      "/metadata/0/name                 | `\"resource\"`      | [body, metadata, 0, name]                 | value_error.reserved",
      "/metadata/0/is_metric            | `\"yes\"`           | [body, metadata, 0, is_metric]            | type_error.bool",
      "/metadata/0/value                | `\"fast\"`          | [body, metadata, 0, value]                | type_error.float",
      "/metadata/0/value                | null                | [body, metadata, 0, value]                | type_error.float"})
  void eachRuleReportsItsLoc(String pointer, String value, String loc, String type) throws Exception {
    ObjectNode event = SampleEvents.seedJson();
    apply(event, pointer, value);
    assertSingleError(errorsOf(event), loc, type);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "description | 4097 | [body, event, description] | value_error.str.length",
      "name        | 257  | [body, event, name]        | value_error.str.length",
      "origin      | 257  | [body, actor, origin]      | value_error.str.length",
      "category    | 65   | [body, category]           | value_error.str.length"})
  void lengthLimits(String field, int length, String loc, String type) {
    ObjectNode event = SampleEvents.seedJson();
    String text = "x".repeat(length);
    switch (field) {
      case "description", "name" -> ((ObjectNode) event.get("event")).put(field, text);
      case "origin" -> ((ObjectNode) event.get("actor")).put(field, text);
      default -> event.put(field, text);
    }
    assertSingleError(errorsOf(event), loc, type);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "detail over 60 KiB            | [body, event, detail]  | value_error.str.bytes",
      "resource id over 60 KiB       | [body, resource, id]   | value_error.str.bytes",
      "resource name over 60 KiB     | [body, resource, name] | value_error.str.bytes",
      "metadata over 60 KiB          | [body, metadata]       | value_error.str.bytes",
      "duplicate metadata names      | [body, metadata, 1, name] | value_error.duplicate",
      "detail 17 levels deep         | [body, actor, detail]  | value_error.depth",
      "metric value not a number     | [body, metadata, 0, value] | type_error.float"})
  void structuralLimits(String rule, String loc, String type) {
    ObjectNode event = SampleEvents.seedJson();
    switch (rule) {
      case "detail over 60 KiB" -> ((ObjectNode) event.get("event").get("detail")).put("big", "x".repeat(61_440));
      case "resource id over 60 KiB" -> event.putObject("resource").put("id", "x".repeat(61_441));
      case "resource name over 60 KiB" -> event.putObject("resource").put("name", "\u00e9".repeat(30_721));
      case "metadata over 60 KiB" -> ((ArrayNode) event.get("metadata")).addObject().put("name", "big")
          .put("value", "x".repeat(61_440));
      case "duplicate metadata names" -> ((ArrayNode) event.get("metadata")).addObject().put("name", "login_time")
          .put("value", 1);
      case "detail 17 levels deep" -> {
        ObjectNode detail = Json.MAPPER.createObjectNode();
        ObjectNode cursor = detail;
        for (int i = 1; i < 17; i++) {
          cursor = cursor.putObject("n");
        }
        ((ObjectNode) event.get("actor")).set("detail", detail);
      }
      default -> ((ObjectNode) event.get("metadata").get(0)).putArray("value");
    }
    assertSingleError(errorsOf(event), loc, type);
  }

  /** {@code resource.id} and {@code resource.name} are string fields: 60 KiB of UTF-8, not 4,096 characters. */
  @ParameterizedTest
  @CsvSource({"id", "name"})
  void resourceTextsHoldUpTo60KibOfUtf8(String key) {
    ObjectNode event = SampleEvents.seedJson();
    String text = "\u00e9".repeat(30_720);
    event.putObject("resource").put(key, text);
    AuditEvent.Resource resource = validator.validate(event).get(0).resource().orElseThrow();
    assertThat(key.equals("id") ? resource.id() : resource.name()).hasValue(text);
  }

  /** The service assigns {@code stage}: whatever a client sends there is ignored, not refused. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"7", "`\"first\"`", "null", "-1", "`{\"a\":[1]}`"})
  void aClientSentStageIsIgnored(String value) throws Exception {
    ObjectNode event = SampleEvents.seedJson();
    ((ObjectNode) event.get("event")).set("stage", parseLoose(value));
    AuditEvent accepted = validator.validate(event).get(0);
    assertThat(EventCodec.toBody(accepted).path("event").has("stage")).isFalse();
    assertThat(accepted).isEqualTo(validator.validate(SampleEvents.seedJson()).get(0));
  }

  @org.junit.jupiter.api.Test
  void numbersBeyondTheDoubleRangeAreNotFinite() {
    String body = SampleEvents.seedJson().toString().replace("\"cpu_usage\":0.5", "\"cpu_usage\":1e999");
    assertSingleError(errorsOf(body.getBytes(StandardCharsets.UTF_8)), "[body, event, cpu_usage]",
        "value_error.number.not_finite");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`{\"a\":1,\"a\":2}`",
      "`[1,`",
      "`{} []`",
      "`\"unterminated`",
      "`NaN`",
      "``"})
  void malformedDocumentsAre422AtBody(String text) {
    assertSingleError(errorsOf(text.getBytes(StandardCharsets.UTF_8)), "[body]", "value_error.jsondecode");
  }

  private static void assertSingleError(List<FieldError> errors, String loc, String type) {
    assertThat(errors).as(errors.toString()).hasSize(1);
    assertThat(errors.get(0).loc().toString()).isEqualTo(loc);
    assertThat(errors.get(0).type()).isEqualTo(type);
  }

  private List<FieldError> errorsOf(JsonNode event) {
    return errorsOf(Json.toBytes(event));
  }

  private List<FieldError> errorsOf(byte[] body) {
    try {
      validator.validate(Json.parseBody(body));
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(422);
      return e.fieldErrors();
    }
    return fail("expected a 422 for " + new String(body, StandardCharsets.UTF_8));
  }

  /** Sets (or with {@code REMOVE}, removes) the value at a JSON pointer whose parent exists. */
  private static void apply(ObjectNode event, String pointer, String value) throws Exception {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = slash == 0 ? event : event.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent.isArray()) {
      ArrayNode array = (ArrayNode) parent;
      array.set(Integer.parseInt(last), Json.MAPPER.readTree(value));
      return;
    }
    ObjectNode object = (ObjectNode) parent;
    if (value.equals("REMOVE")) {
      object.remove(last);
    } else {
      object.set(last, parseLoose(value));
    }
  }

  /** Jackson with the document's own number rules, so 1e999 stays infinite and big integers stay big. */
  private static JsonNode parseLoose(String value) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(value);
  }

}
