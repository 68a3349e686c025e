package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Text helpers that work on less than the whole text give what working on the whole would. */
class TextTest {

  /** Whether the JDK's UTF-8 decoder, reporting malformed input, decodes the bytes whole. */
  static boolean decodesStrictly(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void utf8IsRecognisedAsTheJdkDecoderDoes() {
    Random random = new Random(9L);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = ByteLinesTest.random(random, random.nextInt(20_000) < 10 ? 20_000 : random.nextInt(16));
      assertThat(Text.isUtf8(bytes)).isEqualTo(decodesStrictly(bytes));
    }
    byte[] long8 = "\u00e9".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    assertThat(Text.isUtf8(long8)).isTrue();
    long8[long8.length - 1] = 'x';
    assertThat(Text.isUtf8(long8)).isFalse();
  }

  @Test
  void aDerivedValueIsTheCutOfTheWholeTextCleaned() {
    Random random = new Random(11L);
    String[] pieces = {"a", "\u0001", "\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "\u007f"};
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      int max = random.nextInt(30);
      assertThat(Text.derived(text.toString(), max)).as("%s cut to %d", text, max)
          .isEqualTo(Text.cutBytes(Text.clean(text.toString()), max));
    }
  }
}
