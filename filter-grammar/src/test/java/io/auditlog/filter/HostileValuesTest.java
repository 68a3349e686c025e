package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Values a tenant chose byte for byte (it sends the ModSecurity entries, and any event detail): numbers of 60,000
 * digits or with exponents no number type holds, bodies that make a pattern run for seconds, and stored detail of
 * every wrong shape. The evaluator answers each in bounded time and never throws.
 */
class HostileValuesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String DIGITS = "1".repeat(61_000);
  private static final Map<String, List<String>> VALUES = Map.of(
      "RULE_ID", List.of("1e-99999999999", DIGITS, "-0", "4.43e2"),
      "SERVER_PORT", List.of("443." + "0".repeat(61_000)),
      "RULE_LINE", List.of("0." + "0".repeat(61_000) + "1"));
  private static final List<String> VARIABLES = List.of("REQUEST_URI", "REQUEST_URI_RAW", "QUERY_STRING",
      "REQUEST_LINE", "REQUEST_PROTOCOL", "REQUEST_HEADERS", "REQUEST_HEADERS:Host", "REQUEST_HEADERS_NAMES",
      "REQUEST_COOKIES", "REQUEST_COOKIES:a", "REQUEST_COOKIES_NAMES", "ARGS", "ARGS:a", "ARGS_NAMES", "ARGS_GET",
      "ARGS_POST:a", "REQUEST_BODY", "RESPONSE_BODY", "RESPONSE_PROTOCOL", "RESPONSE_HEADERS",
      "RESPONSE_HEADERS_NAMES", "REMOTE_PORT", "SERVER_ADDR", "SERVER_PORT", "SERVER_NAME", "RULE_ID", "RULE_MSG",
      "RULE_DATA", "RULE_FILE", "RULE_LINE", "RULE_SEV", "MESSAGE", "RULE_TAG", "HIGHEST_SEVERITY",
      "LOWEST_SEVERITY", "WEBAPPID", "SESSIONID", "UNIQUE_ID");

  private static boolean matches(String filter) {
    return new FilterEvaluator(Instant.now()).matches(FilterParser.parse(filter),
        v -> VALUES.get(v.column()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "RULE_ID = 0                  | true",
      "RULE_ID = 443                | true",
      "RULE_ID = 1e-9               | false",
      "RULE_ID > 1e300              | false",
      "RULE_ID >= 443               | true",
      "SERVER_PORT = 443            | true",
      "SERVER_PORT = 443.0000000001 | false",
      "SERVER_PORT > 442.9          | true",
      "RULE_LINE = 0                | false",
      "RULE_LINE < 1                | true"})
  void hugeNumbersCompareExactlyAndQuickly(String filter, boolean expected) {
    long start = System.nanoTime();
    assertThat(matches(filter)).as(filter).isEqualTo(expected);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as(filter).isLessThan(Duration.ofMillis(200));
  }

  @Test
  void numbersAreEqualHoweverWritten() {
    assertThat(Literals.sameNumber("443", "4.43e2")).isTrue();
    assertThat(Literals.sameNumber("443", "+0443.000")).isTrue();
    assertThat(Literals.sameNumber("-0", "0e5")).isTrue();
    assertThat(Literals.sameNumber(".5", "5E-1")).isTrue();
    assertThat(Literals.sameNumber("-443", "443")).isFalse();
    assertThat(Literals.sameNumber("4.43", "443")).isFalse();
    assertThat(Literals.number("1e-99999999999")).isEmpty();
    assertThat(Literals.number("1e999999999")).isEmpty();
    assertThat(Literals.number("1e-999999999")).contains(0.0);
  }

  @Test
  void aPatternOverA60KiBBodyStopsAtTheCheckpoint() {
    String body = "a".repeat(61_000);
    Instant deadline = Instant.now().plusMillis(300);
    FilterEvaluator evaluator = new FilterEvaluator(Instant.now(), () -> {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("out of time");
      }
    });
    Filter filter = FilterParser.parse("REQUEST_BODY @rx '(?s)(.*a.{999}b|.*a.{998}c|.*a.{997}d|.*a.{996}e)'");
    long start = System.nanoTime();
    assertThatThrownBy(() -> evaluator.matches(filter, v -> List.of(body, body, body)))
        .hasMessage("out of time");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_000));
    int[] checks = {0};
    assertThat(new FilterEvaluator(Instant.now(), () -> checks[0]++)
        .matches(FilterParser.parse("REQUEST_BODY @rx '(?s).*b.*'"), v -> List.of(body + "b"))).isTrue();
    assertThat(checks[0]).as("checks while reading 61,001 characters").isGreaterThanOrEqualTo(61_001 / 64);
  }

  @Test
  void hostileStoredDetailNeverThrowsAndNeverHangs() throws Exception {
    for (JsonNode event : hostileEvents()) {
      EventJsonValues values = new EventJsonValues(event);
      long start = System.nanoTime();
      for (String variable : VARIABLES) {
        for (String filter : List.of(variable + " @rx '(?s).*x.*'", "&" + variable + " > 0", variable + " = 1",
            variable + " >= 2", "NOT " + variable + " @contains '\"'")) {
          new FilterEvaluator(Instant.now()).matches(FilterParser.parse(filter), values::value);
        }
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as(event.toString().substring(0, 80))
          .isLessThan(Duration.ofSeconds(2));
    }
    assertThat(new FilterEvaluator(Instant.now()).matches(FilterParser.parse("&REQUEST_HEADERS = 200"),
        new EventJsonValues(hostileEvents().get(0))::value)).as("at most 200 header lines are read").isTrue();
  }

  /** Detail no receiver writes, but a tenant may store through the event API. */
  private static List<JsonNode> hostileEvents() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    String manyHeaders = "GET /?a=1 HTTP/1.1\n" + "X-H: x\n".repeat(10_000);
    events.add(event(sections(Map.of("B", manyHeaders, "C", "a=%zz&&=&%", "H", "WebApp-Info: \"x"))));
    byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 'x', (byte) 0xc3, '\n', (byte) 0x80};
    ObjectNode base64 = sections(Map.of("B", Base64.getEncoder().encodeToString(notUtf8),
        "E", "!!! not base64 !!!", "F", Base64.getEncoder().encodeToString("HTTP/1.1 200\nA: b".getBytes(
            StandardCharsets.UTF_8))));
    base64.putArray("base64").add("B").add("E").add("F");
    events.add(event(base64));
    ObjectNode wrongShapes = MAPPER.createObjectNode();
    wrongShapes.putObject("sections").put("B", 5).putArray("C").add("x");
    wrongShapes.put("base64", "B");
    wrongShapes.putArray("messages").add("text").add(7).addObject().put("id", "x").put("severity", "high")
        .putObject("tags").put("a", "b");
    events.add(event(wrongShapes));
    ObjectNode deepText = MAPPER.createObjectNode();
    deepText.put("json", "[".repeat(100_000) + "]".repeat(100_000));
    deepText.put("messages", "none");
    events.add(event(deepText));
    ObjectNode json = MAPPER.createObjectNode();
    ObjectNode request = json.putObject("transaction").putObject("request");
    request.put("uri", "/" + "x".repeat(10_000)).putArray("body").add(1).addObject();
    ArrayNode many = request.putObject("headers").putArray("X-H");
    for (int i = 0; i < 10_000; i++) {
      many.add("v" + i);
    }
    ObjectNode jsonEntry = MAPPER.createObjectNode();
    jsonEntry.set("json", json);
    events.add(event(jsonEntry));
    ObjectNode oddJson = MAPPER.createObjectNode();
    oddJson.put("json", 42);
    events.add(event(oddJson));
    return events;
  }

  private static ObjectNode sections(Map<String, String> sections) {
    ObjectNode modsecurity = MAPPER.createObjectNode();
    sections.forEach(modsecurity.putObject("sections")::put);
    return modsecurity;
  }

  private static JsonNode event(ObjectNode modsecurity) {
    ObjectNode event = MAPPER.createObjectNode().put("id", "e1");
    event.putArray("metadata").addObject().put("name", "unique_id").putObject("value").put("x", 1);
    event.putObject("event").putObject("detail").set("modsecurity", modsecurity);
    return event;
  }
}
