package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HourlyCountsTest {

  private static List<String> ranges(List<Long> hours, int max) {
    return HourlyCounts.ranges(hours, max).stream().map(r -> r[0] + "-" + r[1]).toList();
  }

  @Test
  void consecutiveHoursMakeOneRange() {
    assertThat(ranges(List.of(3L, 4L, 5L, 9L, 10L, 20L), 8)).containsExactly("3-6", "9-11", "20-21");
    assertThat(ranges(List.of(), 8)).isEmpty();
    assertThat(ranges(List.of(-2L, -1L, 0L), 8)).containsExactly("-2-1");
  }

  @Test
  void theClosestRangesAreJoinedUntilFewEnoughRemain() {
    assertThat(ranges(List.of(1L, 3L, 10L, 11L, 30L), 3)).containsExactly("1-4", "10-12", "30-31");
    assertThat(ranges(List.of(1L, 3L, 10L, 11L, 30L), 2)).containsExactly("1-12", "30-31");
    assertThat(ranges(List.of(1L, 3L, 10L, 11L, 30L), 1)).containsExactly("1-31");
  }
}
