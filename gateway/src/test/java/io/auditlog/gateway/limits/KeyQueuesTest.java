package io.auditlog.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Work under keys runs one piece at a time per key, waits without a cycle, and is refused past the waiting bound. */
class KeyQueuesTest {
  private static final RuntimeException TOO_MANY = new IllegalStateException("too many");

  @Test
  void piecesWithAKeyInCommonNeverRunTogetherAndAllEnd() {
    Random random = new Random(7L);
    KeyQueues queues = new KeyQueues(1_000);
    Set<String> heldByRunning = new HashSet<>();
    List<Promise<Void>> running = new ArrayList<>();
    List<List<String>> keysOfRunning = new ArrayList<>();
    List<Future<Void>> results = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      TreeSet<String> keys = new TreeSet<>();
      for (int k = 0; k < 1 + random.nextInt(3); k++) {
        keys.add("k" + random.nextInt(5));
      }
      List<String> ordered = List.copyOf(keys);
      results.add(queues.run(ordered, () -> {
        for (String key : ordered) {
          assertThat(heldByRunning.add(key)).as("%s held twice", key).isTrue();
        }
        Promise<Void> done = Promise.promise();
        running.add(done);
        keysOfRunning.add(ordered);
        return done.future();
      }, () -> TOO_MANY));
      while (!running.isEmpty() && random.nextInt(3) == 0) {
        finish(random.nextInt(running.size()), running, keysOfRunning, heldByRunning);
      }
    }
    while (!running.isEmpty()) {
      finish(0, running, keysOfRunning, heldByRunning);
    }
    assertThat(results).allMatch(Future::succeeded);
    assertThat(queues.keys()).isZero();
  }

  private static void finish(int index, List<Promise<Void>> running, List<List<String>> keysOfRunning,
      Set<String> heldByRunning) {
    Promise<Void> done = running.remove(index);
    keysOfRunning.remove(index).forEach(heldByRunning::remove);
    done.complete();
  }

  @Test
  void pastTheWaitingBoundAPieceIsRefusedAtOnceAndAFailingPieceLetsGo() {
    KeyQueues queues = new KeyQueues(3);
    Promise<Void> first = Promise.promise();
    Future<Void> holding = queues.run(List.of("a"), first::future, () -> TOO_MANY);
    List<Future<String>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(queues.run(List.of("a", "b"), () -> {
        throw new IllegalArgumentException("failed while holding");
      }, () -> TOO_MANY));
    }
    Future<String> refused = queues.run(List.of("a"), () -> Future.succeededFuture("ran"), () -> TOO_MANY);
    assertThat(refused.cause()).isSameAs(TOO_MANY);
    assertThat(queues.run(List.of("b"), () -> Future.succeededFuture("b alone"), () -> TOO_MANY).result())
        .isEqualTo("b alone");
    assertThat(waiting).noneMatch(Future::isComplete);
    first.complete();
    assertThat(holding.succeeded()).isTrue();
    assertThat(waiting).allMatch(f -> f.cause() instanceof IllegalArgumentException);
    assertThat(queues.keys()).isZero();
  }
}
