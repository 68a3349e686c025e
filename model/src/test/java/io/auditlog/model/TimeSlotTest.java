package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeSlotTest {

  private static final long MS = 1_000_000L;

  @Test
  void handsOutItsOwnNanosecondsInOrderAndMovesOnWhenFull() {
    TimeSlot slot = new TimeSlot(3, 0);
    assertThat(slot.reserve(10, 400)).isEqualTo(10 * MS + 3_000);
    assertThat(slot.reserve(10, 600)).isEqualTo(10 * MS + 3_400);
    assertThat(slot.reserve(10, 1)).isEqualTo(11 * MS + 3_000);
    assertThat(slot.lastIssued()).isEqualTo(11 * MS + 3_000);
  }

  @Test
  void aLaterMillisecondStartsAfreshAndAnEarlierOneNeverGoesBack() {
    TimeSlot slot = new TimeSlot(3, 0);
    slot.reserve(10, 5);
    assertThat(slot.reserve(12, 5)).isEqualTo(12 * MS + 3_000);
    assertThat(slot.reserve(11, 5)).isEqualTo(12 * MS + 3_005);
  }

  @Test
  void resumesAfterWhatWasHandedOutEvenFromAnotherSlotsNanosecond() {
    assertThat(new TimeSlot(3, 10 * MS + 3_009).reserve(10, 2)).isEqualTo(10 * MS + 3_010);
    assertThat(new TimeSlot(3, 10 * MS + 1_500).reserve(9, 2)).isEqualTo(10 * MS + 3_000);
    assertThat(new TimeSlot(3, 10 * MS + 7_000).reserve(10, 2)).isEqualTo(11 * MS + 3_000);
  }

  @Test
  void refusesOutOfRangeIndexesAndCounts() {
    assertThatThrownBy(() -> new TimeSlot(1000, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TimeSlot(0, 0).reserve(1, 1001)).isInstanceOf(IllegalArgumentException.class);
  }
}
