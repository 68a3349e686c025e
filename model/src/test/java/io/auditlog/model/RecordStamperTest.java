package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordStamperTest {

  private final List<AuditEvent> three = List.of(SampleEvents.seed(), SampleEvents.seed(), SampleEvents.seed());

  @Test
  void theSameRecordAlwaysGetsTheSameIdentityAndTime() {
    assertThat(RecordStamper.stamp("4", "audit.ingress", 2, 1234, 1_700_000_000_123L, three))
        .isEqualTo(RecordStamper.stamp("4", "audit.ingress", 2, 1234, 1_700_000_000_123L, three));
  }

  @Test
  void idsAreTimeOrderedVersion7AndTimesConsecutive() {
    List<StampedEvent> events = RecordStamper.stamp("4", "audit.ingress", 2, 1234, 1_700_000_000_123L, three);
    assertThat(UUID.fromString(events.get(0).eventId()).version()).isEqualTo(7);
    assertThat(UUID.fromString(events.get(0).id()).variant()).isEqualTo(2);
    assertThat(EventStamper.epochMillisOf(events.get(0).eventId())).isEqualTo(1_700_000_000_123L);
    assertThat(events).extracting(StampedEvent::timestampNanos)
        .containsExactly(1_700_000_000_123_734_000L, 1_700_000_000_123_734_001L, 1_700_000_000_123_734_002L);
    assertThat(events).extracting(StampedEvent::id).doesNotHaveDuplicates();
  }

  @Test
  void otherRecordsGetOtherIds() {
    String a = RecordStamper.stamp("4", "t", 0, 1, 5L, three).get(0).eventId();
    String b = RecordStamper.stamp("4", "t", 1, 1, 5L, three).get(0).eventId();
    String c = RecordStamper.stamp("4", "t", 0, 2, 5L, three).get(0).eventId();
    assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
  }
}
