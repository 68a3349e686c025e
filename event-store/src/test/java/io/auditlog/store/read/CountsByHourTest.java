package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountsByHourTest {

  @Test
  void hoursAreFloorsOfTime() {
    assertThat(CountsByHour.hourOf(0)).isZero();
    assertThat(CountsByHour.hourOf(CountsByHour.HOUR_NANOS - 1)).isZero();
    assertThat(CountsByHour.hourOf(-1)).isEqualTo(-1);
    assertThat(CountsByHour.startOf(-1)).isEqualTo(-CountsByHour.HOUR_NANOS);
  }

  @Test
  void hoursPastEitherEndOfInfluxDbsTimesAreCutToIt() {
    long last = CountsByHour.hourOf(CountsByHour.MAX_NANOS);
    long first = CountsByHour.hourOf(CountsByHour.MIN_NANOS);
    assertThat(CountsByHour.startOf(last)).isEqualTo(last * CountsByHour.HOUR_NANOS).isPositive();
    assertThat(CountsByHour.startOf(last + 1)).isEqualTo(CountsByHour.MAX_NANOS);
    assertThat(CountsByHour.startOf(first)).isEqualTo(CountsByHour.MIN_NANOS);
    assertThat(CountsByHour.startOf(first + 1)).isEqualTo((first + 1) * CountsByHour.HOUR_NANOS).isNegative();
  }
}
