package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
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

  @Test
  void anArrayPastItsCountIsRefusedAtTheFirstElementOver() {
    ApiException tooMany = ApiException.of(413, "batch_too_large", "at most 3");
    assertThat(Json.parseBody(utf8("[{}, [], 3]"), 3, () -> tooMany).size()).isEqualTo(3);
    assertThatThrownBy(() -> Json.parseBody(utf8("[1, 2, 3, 4]"), 3, () -> tooMany)).isSameAs(tooMany);
    // What follows the element over the count is not read: not even a body that breaks off there is refused as JSON.
    assertThatThrownBy(() -> Json.parseBody(utf8("[1, 2, 3, {\"a\": [tru"), 3, () -> tooMany)).isSameAs(tooMany);
    // Within the count, the body is held to everything parseBody(byte[]) holds it to.
    for (String bad : List.of("[1, 2] [3]", "[1, 2],", "[1, 2", "[1, {\"a\": 1, \"a\": 2}]", "[1, 1e400]", "")) {
      assertThatThrownBy(() -> Json.parseBody(utf8(bad), 3, () -> tooMany)).as(bad)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
    }
    assertThat(Json.parseBody(utf8(" {\"a\": [1, 2, 3, 4]} "), 3, () -> tooMany).path("a").size()).isEqualTo(4);
    assertThat(Json.parseBody(utf8("null"), 3, () -> tooMany).isNull()).isTrue();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] emptyObjects(int count) {
    return ("[" + "{},".repeat(count - 1) + "{}]").getBytes(StandardCharsets.UTF_8);
  }
}
