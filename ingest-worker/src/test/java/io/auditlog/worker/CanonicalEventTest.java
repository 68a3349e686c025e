package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.EventStamper;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.read.StoredEvents;
import io.auditlog.verify.Jcs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The worker commits to canonical bytes written straight from the event; a verifier makes them from the read shape's
 * exported text with its own parser. Both must give the same bytes for every event, whatever numbers, strings and
 * optional parts it holds.
 */
class CanonicalEventTest {

  private static final String[] NUMBERS = {"0", "-0", "1", "-1", "0.1", "1.0", "2.5e-3", "1e21", "1E-7", "5e-324",
      "1.7976931348623157e308", "9007199254740993", "-9223372036854775809", "123456789012345678901234567890",
      "0.30000000000000004", "1.00000000000000000000001", "4.35", "100", "12.50", "2e23"};
  private static final String[] STRINGS = {"", "plain", "\\u00e9t\\u00e9", "\\ud83d\\ude00", "tab\\there",
      "quote \\\" and \\\\", "\\u0001\\u001f", "\\u2028\\u2029", "\u20ac \u00fc", "</script>"};

  @Test
  void theVariedEventsGiveTheSameBytesBothWays() {
    for (StampedEvent event : SampleEvents.varied("7")) {
      assertSameBothWays(event);
    }
  }

  @Test
  void randomDetailsAndMetadataGiveTheSameBytesBothWays() {
    SplittableRandom random = new SplittableRandom(8785);
    for (int i = 0; i < 2_000; i++) {
      ObjectNode body = SampleEvents.seedJson();
      ObjectNode action = (ObjectNode) body.get("event");
      action.set("detail", Json.parseBody(object(random, 3).getBytes(StandardCharsets.UTF_8)));
      action.put("latency", random.nextDouble() * Math.pow(10, random.nextInt(-8, 22)));
      action.put("cpu_usage", Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL));
      body.set("metadata", Json.parseBody(("[{\"name\": \"m\", \"value\": " + value(random, 2) + "}]")
          .getBytes(StandardCharsets.UTF_8)));
      leaveOutSome(random, body);
      StampedEvent event = new EventStamper().stamp("7", List.of(new EventValidator().validate(body).get(0))).get(0);
      assertSameBothWays(event);
    }
  }

  @Test
  void anEventLargerThanTheKeptTextAndTheNextOneGiveTheirOwnBytes() {
    ObjectNode body = SampleEvents.seedJson();
    ((ObjectNode) body.get("event")).putObject("detail").put("large", "x".repeat(40_000));
    StampedEvent large = new EventStamper().stamp("7", List.of(new EventValidator().validate(body).get(0))).get(0);
    StampedEvent small = SampleEvents.stamped("7", 1).get(0);
    assertSameBothWays(small);
    assertSameBothWays(large);
    assertSameBothWays(small);
  }

  /** Each optional part (description, the details, the resource and its members, metadata) is left out at random. */
  private static void leaveOutSome(SplittableRandom random, ObjectNode body) {
    ObjectNode action = (ObjectNode) body.get("event");
    ObjectNode resource = (ObjectNode) body.get("resource");
    for (String member : List.of("description", "detail")) {
      if (random.nextInt(3) == 0) {
        action.remove(member);
      }
    }
    if (random.nextInt(3) == 0) {
      ((ObjectNode) body.get("actor")).remove("detail");
    }
    for (String member : List.of("id", "name", "type", "detail")) {
      if (random.nextInt(3) == 0) {
        resource.remove(member);
      }
    }
    if (random.nextInt(4) == 0) {
      body.remove("resource");
    }
    if (random.nextInt(4) == 0) {
      body.remove("metadata");
    }
  }

  private static void assertSameBothWays(StampedEvent event) {
    ObjectNode shape = StoredEvents.readShape(event);
    String viaText = Jcs.canonical(io.auditlog.verify.Json.parse(Json.toText(shape)));
    assertThat(new String(CanonicalEvent.of(event), StandardCharsets.UTF_8)).isEqualTo(viaText);
  }

  private static String object(SplittableRandom random, int depth) {
    List<String> fields = new ArrayList<>();
    int size = random.nextInt(1, 5);
    for (int i = 0; i < size; i++) {
      fields.add("\"" + STRINGS[random.nextInt(STRINGS.length)] + i + "\": " + value(random, depth - 1));
    }
    return "{" + String.join(", ", fields) + "}";
  }

  private static String value(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth > 0 ? 7 : 5);
    return switch (kind) {
      case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
      case 1 -> Double.toString(random.nextDouble() * 1000);
      case 2 -> "\"" + STRINGS[random.nextInt(STRINGS.length)] + "\"";
      case 3 -> random.nextBoolean() ? "true" : "false";
      case 4 -> "null";
      case 5 -> object(random, depth);
      default -> "[" + value(random, depth - 1) + ", " + value(random, depth - 1) + "]";
    };
  }
}
