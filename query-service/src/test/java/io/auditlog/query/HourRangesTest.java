package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HourRangesTest {

  private static List<String> ranges(List<Long> hours, int max) {
    return ranges(hours, List.of(), max);
  }

  private static List<String> ranges(List<Long> hours, List<long[]> spans, int max) {
    return HourRanges.of(hours, spans, max).stream().map(r -> r[0] + "-" + r[1]).toList();
  }

  @Test
  void consecutiveHoursMakeOneRange() {
    assertThat(ranges(List.of(3L, 4L, 5L, 9L, 10L, 20L), 8)).containsExactly("3-6", "9-11", "20-21");
    assertThat(ranges(List.of(), 8)).isEmpty();
    assertThat(ranges(List.of(-2L, -1L, 0L), 8)).containsExactly("-2-1");
  }

  @Test
  void spansJoinTheHoursTheyHoldOrTouch() {
    assertThat(ranges(List.of(2L, 5L, 9L, 30L), List.<long[]>of(new long[] {4, 10}), 8))
        .containsExactly("2-3", "4-10", "30-31");
    assertThat(ranges(List.of(3L), List.<long[]>of(new long[] {4, 6}), 8)).containsExactly("3-6");
  }

  @Test
  void manyScatteredHoursAreJoinedQuickly() {
    List<Long> hours = new ArrayList<>();
    for (long hour = 0; hour < 400_000; hour += 2 + hour % 7) {
      hours.add(hour);
    }
    List<String> ranges = ranges(hours, 8);
    assertThat(ranges).hasSize(8);
    assertThat(ranges.get(0)).startsWith("0-");
    assertThat(ranges.get(7)).endsWith("-" + (hours.get(hours.size() - 1) + 1));
  }

  @Test
  void theClosestRangesAreJoinedUntilFewEnoughRemain() {
    assertThat(ranges(List.of(1L, 3L, 10L, 11L, 30L), 3)).containsExactly("1-4", "10-12", "30-31");
    assertThat(ranges(List.of(1L, 3L, 10L, 11L, 30L), 2)).containsExactly("1-12", "30-31");
    assertThat(ranges(List.of(1L, 3L, 10L, 11L, 30L), 1)).containsExactly("1-31");
  }
}
