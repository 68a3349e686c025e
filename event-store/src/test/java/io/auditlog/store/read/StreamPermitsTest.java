package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamPermitsTest {

  @Test
  void oneTenantTakesAQuarterAndEveryoneTogetherTheTotal() {
    StreamPermits permits = new StreamPermits(8);
    assertThat(permits.tryTake("a")).isTrue();
    assertThat(permits.tryTake("a")).isTrue();
    assertThat(permits.tryTake("a")).as("a quarter of 8").isFalse();
    for (String tenant : new String[] {"b", "b", "c", "c", "d", "d"}) {
      assertThat(permits.tryTake(tenant)).isTrue();
    }
    assertThat(permits.tryTake("e")).as("all 8 taken").isFalse();
    assertThat(permits.taken()).isEqualTo(8);
    permits.give("b");
    assertThat(permits.tryTake("e")).isTrue();
    assertThat(permits.granted()).isEqualTo(9);
    assertThat(permits.refused()).isEqualTo(2);
  }

  @Test
  void aSmallTotalStillLetsEachTenantStreamOne() {
    StreamPermits permits = new StreamPermits(2);
    assertThat(permits.tryTake("a")).isTrue();
    assertThat(permits.tryTake("a")).isFalse();
    assertThat(permits.tryTake("b")).isTrue();
    assertThat(permits.tryTake("c")).isFalse();
  }

  @Test
  void noneAtAllReadsEverythingInStatements() {
    assertThat(new StreamPermits(0).tryTake("a")).isFalse();
  }

  @Test
  void aPermitNotTakenCannotBeGiven() {
    StreamPermits permits = new StreamPermits(4);
    permits.tryTake("a");
    permits.give("a");
    assertThatThrownBy(() -> permits.give("a")).isInstanceOf(IllegalStateException.class);
    assertThat(permits.taken()).isZero();
  }
}
