package io.auditlog.store.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turns at a shared resource, handed out by tenant (the same rules as {@code TenantWorkersTest}, for any work). */
class TenantTurnsTest {

  private final TenantTurns turns = new TenantTurns(4, 2);
  private final List<String> started = new ArrayList<>();

  private Promise<Void> submit(String tenant) {
    Promise<Void> work = Promise.promise();
    turns.run(tenant, () -> {
      started.add(tenant);
      return work.future();
    });
    return work;
  }

  @Test
  void aTenantHoldsItsShareAndOthersTakeTheRestInTurn() {
    List<Promise<Void>> flood = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      flood.add(submit("flood"));
    }
    assertThat(started).containsExactly("flood", "flood");
    Promise<Void> b = submit("b");
    submit("c");
    submit("b");
    assertThat(started).containsExactly("flood", "flood", "b", "c");
    // A free turn goes to the waiting tenant holding the fewest, then the one served longest ago.
    b.complete();
    assertThat(started).endsWith("b");
    flood.get(0).complete();
    assertThat(started).hasSize(6).endsWith("flood");
  }

  @Test
  void workThatFailsOrCannotStartEndsItsTurn() {
    Future<Void> refused = turns.run("a", () -> {
      throw new IllegalStateException("refused");
    });
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).hasMessage("refused");
    submit("a").fail("gone");
    submit("a");
    submit("a");
    submit("a");
    assertThat(started).containsExactly("a", "a", "a");
    assertThatThrownBy(() -> new TenantTurns(4, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
