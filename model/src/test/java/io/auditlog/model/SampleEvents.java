package io.auditlog.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The seed's example event, as JSON and as a validated, stamped event, for tests in every module. */
public final class SampleEvents {

  private static final List<String> VARIED = List.of(
      "{\"event\": {\"name\": \"Anmeldung \u00fcber SSO \ud83d\udd10\", \"type\": \"t\\\\\\\"q\", "
          + "\"total_duration\": 1e21, \"affected_resources\": 9007199254740993, \"latency\": 1.0, "
          + "\"cpu_usage\": 0.1, \"memory_usage\": -0.0, \"description\": \"tab\\there\\nnew line \\u0001\"}}",
      "{\"event\": {\"name\": \"n\", \"type\": \"t\", \"total_duration\": 1e-7, \"affected_resources\": 0, "
          + "\"latency\": 123456789.125, \"cpu_usage\": 5e-324, \"memory_usage\": 1.7976931348623157e308, "
          + "\"detail\": {\"deep\": {\"list\": [1, 1.0, 0.1, 1e21, 9007199254740993, true, null, \"\u20ac\", "
          + "{\"z\": 1, \"a\": [], \"\u00e9\": {}}]}, \"\ud83d\ude00\": \"astral key\", \"\u00e4\": 2}}}",
      "{\"resource\": null, \"metadata\": [{\"name\": \"s\", \"value\": \"text \\\"quoted\\\"\"}, "
          + "{\"name\": \"n\", \"value\": 2.5e-3}, {\"name\": \"b\", \"value\": false}, "
          + "{\"name\": \"o\", \"value\": {\"k\": [1, \"2\"]}}, {\"name\": \"l\", \"value\": [null]}, "
          + "{\"is_metric\": true, \"name\": \"m\", \"value\": 3}, {\"is_metric\": false, \"name\": \"x\", "
          + "\"value\": -1}]}",
      "{\"actor\": {\"origin\": \"2001:db8::1\"}, \"metadata\": null, "
          + "\"resource\": {\"id\": \"r \\u2028 id\"}}");

  private SampleEvents() {
  }

  public static ObjectNode seedJson() {
    try (InputStream in = SampleEvents.class.getResourceAsStream("/seed-event.json")) {
      return (ObjectNode) Json.parseBody(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static AuditEvent seed() {
    return new EventValidator().validate(seedJson()).get(0);
  }

  /** {@code count} copies of the seed event stamped as one request of {@code tenant}. */
  public static List<StampedEvent> stamped(String tenant, int count) {
    return new EventStamper().stamp(tenant, Collections.nCopies(count, seed()));
  }

  /**
   * Events whose canonical form is easy to get wrong: non-ASCII and astral text, escapes and control characters,
   * nested details, every metadata value type, and numbers whose shortest form differs between writers (0.1, 1e21,
   * 1.0, 2^53 + 1, a negative zero, a tiny fraction), each without optional parts in turn.
   */
  public static List<StampedEvent> varied(String tenant) {
    List<AuditEvent> events = new ArrayList<>();
    for (String overrides : VARIED) {
      ObjectNode body = seedJson();
      ObjectNode patch = (ObjectNode) Json.parseBody(overrides.getBytes(StandardCharsets.UTF_8));
      patch.fields().forEachRemaining(field -> {
        if (field.getValue().isNull()) {
          body.remove(field.getKey());
        } else {
          body.set(field.getKey(), field.getValue());
        }
      });
      events.add(new EventValidator().validate(body).get(0));
    }
    return new EventStamper().stamp(tenant, events);
  }

}
