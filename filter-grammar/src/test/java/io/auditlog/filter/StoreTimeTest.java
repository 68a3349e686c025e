package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreTimeTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void instantsBeyondTheStorableRangeAreItsEnds() {
    assertThat(StoreTime.nanos(Instant.parse("2300-01-01T00:00:00Z"))).isEqualTo(StoreTime.nanos(StoreTime.LATEST))
        .isPositive();
    assertThat(StoreTime.nanos(Instant.parse("1600-01-01T00:00:00Z")))
        .isEqualTo(StoreTime.nanos(StoreTime.EARLIEST)).isNegative();
    assertThat(StoreTime.nanos(Instant.MAX)).isEqualTo(StoreTime.nanos(StoreTime.LATEST));
    assertThat(StoreTime.nanos(Instant.MIN)).isEqualTo(StoreTime.nanos(StoreTime.EARLIEST));
    assertThat(StoreTime.nanos(NOW)).isEqualTo(NOW.getEpochSecond() * 1_000_000_000L);
  }

  @Test
  void aDurationBeforeNowNeverGoesPastTheEarliestTime() {
    assertThat(StoreTime.before(NOW, Duration.ofDays(7 * 20_000L))).isEqualTo(StoreTime.EARLIEST);
    assertThat(StoreTime.before(NOW, Duration.ofDays(7 * 999_999_999L))).isEqualTo(StoreTime.EARLIEST);
    assertThat(StoreTime.before(NOW, Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(StoreTime.EARLIEST);
    assertThat(StoreTime.before(NOW, Duration.ofDays(1))).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(StoreTime.before(Instant.MAX, Duration.ofDays(1)))
        .isEqualTo(StoreTime.LATEST.minus(Duration.ofDays(1)));
  }
}
