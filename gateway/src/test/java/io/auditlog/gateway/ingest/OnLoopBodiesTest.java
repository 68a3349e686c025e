package io.auditlog.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which bodies the event loop reads itself: small ones with few tokens; dense ones go to the large-body threads. */
class OnLoopBodiesTest {

  static String seedEvent() throws IOException {
    try (InputStream in = OnLoopBodiesTest.class.getResourceAsStream("/seed-event.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Buffer batch(String element, int count) {
    return Buffer.buffer("[" + String.join(",", java.util.Collections.nCopies(count, element)) + "]");
  }

  @Test
  void aSmallBatchOfEventsIsReadOnTheLoopAndAFewDozenAreNot() throws IOException {
    String event = seedEvent();
    assertThat(IngestRoutes.readOnLoop(batch(event, 20))).isTrue();
    assertThat(IngestRoutes.readOnLoop(batch(event, 60))).isFalse();
  }

  @Test
  void aBodyOfManySmallValuesGoesToTheThreadsWhateverItsSize() {
    Buffer empties = batch("{}", 21_000);
    assertThat(empties.length()).isLessThan(IngestRoutes.PARSED_ON_LOOP_BYTES);
    assertThat(IngestRoutes.readOnLoop(empties)).isFalse();
    assertThat(IngestRoutes.readOnLoop(batch("0", 2_048))).isTrue();
    assertThat(IngestRoutes.readOnLoop(batch("0", 2_050))).isFalse();
  }

  @Test
  void aLongStringIsReadOnTheLoopUpToTheSizeBound() throws IOException {
    String event = seedEvent().replace("User logged in successfully", "d".repeat(60_000));
    assertThat(IngestRoutes.readOnLoop(Buffer.buffer(event))).isTrue();
    String larger = seedEvent().replace("User logged in successfully", "d".repeat(66_000));
    assertThat(IngestRoutes.readOnLoop(Buffer.buffer(larger))).isFalse();
  }
}
