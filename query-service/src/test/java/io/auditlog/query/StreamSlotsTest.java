package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

class StreamSlotsTest {

  private final StreamSlots slots = new StreamSlots(2);

  private Promise<Void> started(String tenant) {
    Promise<Void> stream = Promise.promise();
    slots.run(tenant, stream::future);
    return stream;
  }

  private static void assertRefused(Runnable take) {
    assertThatThrownBy(take::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(429);
      assertThat(e.retryAfterSeconds()).isEqualTo(StreamSlots.RETRY_AFTER_SECONDS);
      assertThat(e.getMessage()).contains("This tenant already has 2");
    });
  }

  @Test
  void eachTenantHasItsOwnSlotsAndNoneTakesAnother() {
    Promise<Void> first = started("a");
    started("a");
    assertRefused(() -> started("a"));
    for (int i = 0; i < 10; i++) {
      started("b" + i);
      started("b" + i);
    }
    first.complete();
    started("a");
    assertRefused(() -> started("a"));
  }

  @Test
  void aSlotIsGivenBackWhenTheStreamFailsOrCannotStart() {
    started("a").fail("the client went away");
    assertThatThrownBy(() -> slots.run("a", () -> {
      throw new IllegalStateException("no stream");
    })).hasMessage("no stream");
    slots.run("a", () -> Future.failedFuture("refused"));
    Promise<Void> one = started("a");
    started("a");
    assertRefused(() -> started("a"));
    one.complete();
    started("a");
  }
}
