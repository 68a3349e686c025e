package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordStamperTest {

  private static final long MILLIS = 1_700_000_000_123L;
  private final List<AuditEvent> three = List.of(SampleEvents.seed(), SampleEvents.seed(), SampleEvents.seed());

  @Test
  void aReplayFromTheCommittedStampGivesTheSameIdentityAndTime() {
    RecordStamper original = new RecordStamper("audit.ingress", 2, 0);
    original.stamp("4", 1233, MILLIS, three);
    long committed = original.lastIssued();
    List<StampedEvent> first = original.stamp("4", 1234, MILLIS, three);
    List<StampedEvent> replayed = new RecordStamper("audit.ingress", 2, committed).stamp("4", 1234, MILLIS, three);
    assertThat(replayed).isEqualTo(first);
  }

  @Test
  void aPlacedRecordRestampedFromItsFirstStampIsTheSameWhateverTheStamperHandedOutAndLaterRecordsComeAfterIt() {
    RecordStamper original = new RecordStamper("audit.ingress", 2, 0);
    List<StampedEvent> first = original.stamp("4", 1234, MILLIS, three);
    RecordStamper later = new RecordStamper("audit.ingress", 2, (MILLIS + 9) * 1_000_000L + 502_000L);
    assertThat(later.restamp("4", 1234, first.get(0).timestampNanos(), three)).isEqualTo(first);
    assertThat(later.lastIssued()).as("never back").isEqualTo((MILLIS + 9) * 1_000_000L + 502_000L);
    RecordStamper behind = new RecordStamper("audit.ingress", 2, 0);
    assertThat(behind.restamp("4", 1234, first.get(0).timestampNanos(), three)).isEqualTo(first);
    assertThat(behind.lastIssued()).isEqualTo(first.get(2).timestampNanos());
    assertThat(behind.stamp("4", 1235, MILLIS, three).get(0).timestampNanos())
        .isEqualTo(first.get(2).timestampNanos() + 1);
    assertThatThrownBy(() -> later.restamp("4", 1234, MILLIS * 1_000_000L + 501_000L, three))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the slot of audit.ingress/2");
    assertThatThrownBy(() -> later.restamp("4", 1234, MILLIS * 1_000_000L + 502_998L, three))
        .as("the last stamps would spill into the next partition's slot").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idsAreTimeOrderedVersion7AndTimesConsecutiveInThePartitionsSlot() {
    List<StampedEvent> events = new RecordStamper("audit.ingress", 2, 0).stamp("4", 1234, MILLIS, three);
    assertThat(UUID.fromString(events.get(0).eventId()).version()).isEqualTo(7);
    assertThat(UUID.fromString(events.get(0).id()).variant()).isEqualTo(2);
    assertThat(EventStamper.epochMillisOf(events.get(0).eventId())).isEqualTo(MILLIS);
    assertThat(events).extracting(StampedEvent::timestampNanos)
        .containsExactly(1_700_000_000_123_502_000L, 1_700_000_000_123_502_001L, 1_700_000_000_123_502_002L);
    assertThat(events).extracting(StampedEvent::id).doesNotHaveDuplicates();
  }

  @Test
  void recordsOfOneMillisecondNeverShareATimestampWithinOrAcrossPartitions() {
    List<Long> stamps = new ArrayList<>();
    for (int partition = 0; partition < 12; partition++) {
      RecordStamper stamper = new RecordStamper("audit.ingress", partition, 0);
      for (int offset = 0; offset < 1200; offset++) {
        stamper.stamp("4", offset, MILLIS, three).forEach(e -> stamps.add(e.timestampNanos()));
      }
    }
    assertThat(stamps).hasSize(12 * 1200 * 3).doesNotHaveDuplicates();
    assertThat(stamps).allSatisfy(nanos ->
        assertThat(Math.floorMod(nanos, 1_000_000L)).isGreaterThanOrEqualTo(500_000L));
  }

  @Test
  void aFullSlotContinuesInTheNextMillisecondAndAnOlderRecordTimeNeverGoesBack() {
    RecordStamper stamper = new RecordStamper("audit.ingress", 0, 0);
    List<AuditEvent> many = Collections.nCopies(600, SampleEvents.seed());
    long first = stamper.stamp("4", 0, MILLIS, many).get(0).timestampNanos();
    long second = stamper.stamp("4", 1, MILLIS, many).get(0).timestampNanos();
    long older = stamper.stamp("4", 2, MILLIS - 50, three).get(0).timestampNanos();
    assertThat(first).isEqualTo(MILLIS * 1_000_000L + 500_000L);
    assertThat(second).isEqualTo((MILLIS + 1) * 1_000_000L + 500_000L);
    assertThat(older).isEqualTo(second + 600);
  }

  @Test
  void otherRecordsGetOtherIds() {
    String a = new RecordStamper("t", 0, 0).stamp("4", 1, 5L, three).get(0).eventId();
    String b = new RecordStamper("t", 1, 0).stamp("4", 1, 5L, three).get(0).eventId();
    String c = new RecordStamper("t", 0, 0).stamp("4", 2, 5L, three).get(0).eventId();
    assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
  }

  @Test
  void partitionsBeyondTheSlotsAreRefused() {
    assertThatThrownBy(() -> new RecordStamper("t", RecordStamper.PARTITIONS, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 499");
  }
}
