package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A body's tokens: a short document of empty objects cannot grow a tree that fills a heap. */
class JsonBoundsTest {

  @Test
  void aBodyIsRefusedPastItsTokensBeforeItsTreeGrows() throws Exception {
    // An array of n empty objects is 2n + 2 tokens.
    byte[] within = emptyObjects((Json.MAX_BODY_TOKENS - 2) / 2);
    byte[] past = emptyObjects(Json.MAX_BODY_TOKENS / 2);

    assertThat(Json.parseBody(within).size()).isEqualTo((Json.MAX_BODY_TOKENS - 2) / 2);
    assertThatThrownBy(() -> Json.parseBody(past)).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(422)).hasMessageContaining("exceeds the maximum allowed");
    // The reader the service writes and reads its own documents with has no such bound.
    assertThat(Json.MAPPER.readTree(past).size()).isEqualTo(Json.MAX_BODY_TOKENS / 2);
  }

  private static byte[] emptyObjects(int count) {
    return ("[" + "{},".repeat(count - 1) + "{}]").getBytes(StandardCharsets.UTF_8);
  }
}
