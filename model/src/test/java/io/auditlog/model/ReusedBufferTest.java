package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReusedBufferTest {

  private final ReusedBuffer<StringBuilder> text = ReusedBuffer.text(16, 64);

  @Test
  void aThreadGetsItsOwnBuilderBackEmpty() {
    StringBuilder first = text.cleared().append("written");
    StringBuilder again = text.cleared();
    assertThat(again).isSameAs(first).isEmpty();
  }

  @Test
  void anotherThreadHasItsOwn() {
    StringBuilder mine = text.cleared().append("mine");
    StringBuilder theirs = CompletableFuture.supplyAsync(text::cleared).join();
    assertThat(theirs).isNotSameAs(mine);
    assertThat(mine).hasToString("mine");
  }

  @Test
  void aBuilderGrownPastWhatIsKeptIsReplaced() {
    StringBuilder grown = text.cleared().append("x".repeat(200));
    StringBuilder next = text.cleared();
    assertThat(next).isNotSameAs(grown).isEmpty();
    assertThat(next.capacity()).isEqualTo(16);
    assertThat(text.cleared()).isSameAs(next);
  }
}
