package io.auditlog.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FirstSeenOffsetsTest {

  private static final TopicPartition PARTITION = new TopicPartition("audit.ingress", 0);
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void aRecordExistsSinceTheFirstSampleThatEndedPastIt() {
    FirstSeenOffsets seen = new FirstSeenOffsets();
    assertThat(seen.existsSince(PARTITION, 0, 5, T0)).isEqualTo(T0);
    assertThat(seen.existsSince(PARTITION, 0, 8, T0.plusSeconds(2))).isEqualTo(T0);
    assertThat(seen.existsSince(PARTITION, 0, 8, T0.plusSeconds(4))).isEqualTo(T0);
    // Records 0 to 4 stored: record 5 was first seen at the second sample.
    assertThat(seen.existsSince(PARTITION, 5, 8, T0.plusSeconds(6))).isEqualTo(T0.plusSeconds(2));
    assertThat(seen.existsSince(PARTITION, 7, 9, T0.plusSeconds(8))).isEqualTo(T0.plusSeconds(2));
    // Records up to 8 stored: record 8 was first seen at the last sample.
    assertThat(seen.existsSince(PARTITION, 8, 9, T0.plusSeconds(10))).isEqualTo(T0.plusSeconds(8));
  }

  @Test
  void aPartitionThatCaughtUpStartsAfresh() {
    FirstSeenOffsets seen = new FirstSeenOffsets();
    seen.existsSince(PARTITION, 0, 5, T0);
    seen.retainOnly(List.of());
    assertThat(seen.existsSince(PARTITION, 0, 5, T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void manySightingsKeepTheOneThatDatesTheFirstRecord() {
    FirstSeenOffsets seen = new FirstSeenOffsets();
    for (int i = 0; i < FirstSeenOffsets.MAX_SIGHTINGS + 10; i++) {
      assertThat(seen.existsSince(PARTITION, 0, i + 1, T0.plusSeconds(i))).isEqualTo(T0);
    }
    // Thinned next to the oldest: a later record is dated no earlier than it was seen (its age never overstated).
    Instant dated = seen.existsSince(PARTITION, 1, FirstSeenOffsets.MAX_SIGHTINGS + 11, T0.plusSeconds(100_000));
    assertThat(dated).isAfterOrEqualTo(T0.plusSeconds(1));
  }
}
