package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private final EventCodec codec = new EventCodec();

  @Test
  void canonicalJsonRoundTripsAndKeepsTheBodyShape() {
    ObjectNode sent = EventValidatorTest.seedEvent();
    AuditEvent event = new EventValidator().validate(sent).get(0);
    StampedEvent stamped = new EventStamper().stamp("7", List.of(event)).get(0);

    StampedEvent decoded = codec.decode(codec.encode(stamped));

    assertThat(decoded).isEqualTo(stamped);
    JsonNode body = Json.parseBody(Json.toBytes(EventCodec.toBody(decoded.event())));
    assertThat(body).isEqualTo(sent);
  }

  @Test
  void twoInstancesNeverHandOutTheSameNanosecond() {
    Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    AuditEvent event = new EventValidator().validate(EventValidatorTest.seedEvent()).get(0);
    EventStamper first = new EventStamper(frozen, 0);
    EventStamper second = new EventStamper(frozen, 1);
    Set<Long> seen = new HashSet<>();
    for (int request = 0; request < 30; request++) {
      for (EventStamper stamper : List.of(first, second)) {
        stamper.stamp("1", Collections.nCopies(100, event))
            .forEach(e -> assertThat(seen.add(e.timestampNanos())).as("timestamp %d twice", e.timestampNanos())
                .isTrue());
      }
    }
  }

  @Test
  void stampsConsecutiveNanosecondsAndOneTimeOrderedTrailId() {
    Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    EventStamper stamper = new EventStamper(frozen);
    AuditEvent event = new EventValidator().validate(EventValidatorTest.seedEvent()).get(0);

    List<StampedEvent> first = stamper.stamp("1", List.of(event, event, event));
    List<StampedEvent> second = stamper.stamp("1", List.of(event));

    assertThat(first).extracting(StampedEvent::stage).containsExactly(1, 2, 3);
    assertThat(first).extracting(StampedEvent::eventId).containsOnly(first.get(0).eventId());
    long t0 = first.get(0).timestampNanos();
    assertThat(first).extracting(StampedEvent::timestampNanos).containsExactly(t0, t0 + 1, t0 + 2);
    assertThat(second.get(0).timestampNanos()).isGreaterThan(t0 + 2);
    assertThat(first).extracting(StampedEvent::id).doesNotHaveDuplicates();
    long millis = EventStamper.epochMillisOf(first.get(0).eventId());
    assertThat(millis).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1_000);
  }
}
