package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The one JCS string writer, read back by Jackson's parser and held to RFC 8785's escaping rules. */
class JcsOutputTest {

  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void randomStringsReadBackAsWrittenWithOnlyWhatJsonRequiresEscaped() throws Exception {
    SplittableRandom random = new SplittableRandom(8785);
    JcsOutput output = new JcsOutput(16);
    int written = 0;
    for (int i = 0; i < 50_000; i++) {
      String string = randomString(random);
      if (!StandardCharsets.UTF_8.newEncoder().canEncode(string)) {
        assertThatThrownBy(() -> new JcsOutput(16).string(string))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
        continue;
      }
      byte[] bytes = output.clear().string(string).toByteArray();
      String text = strictUtf8(bytes);
      assertThat(JACKSON.readTree(bytes).textValue()).as("read back by Jackson").isEqualTo(string);
      assertThat(text.length()).as("escapes of %s", text).isEqualTo(2 + string.length() + escapeGrowth(string));
      written++;
    }
    assertThat(written).as("about half the strings have no lone surrogate").isGreaterThan(20_000);
  }

  @Test
  void controlCharactersUseTheShortEscapesOrLowerCaseHex() {
    String all = "\"\\/\b\f\n\r\t\u0000\u001f\u007f\u00e9\u20ac\ud83d\ude00";
    assertThat(new String(new JcsOutput(4).string(all).toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u00e9\u20ac\ud83d\ude00\"");
  }

  @Test
  void rawTextIsOnlyWhatNeedsNoEscape() {
    JcsOutput output = new JcsOutput(4).raw('{').key(JcsOutput.plainKey("event_id")).number(1e21).raw(',')
        .raw("true").raw('}');
    assertThat(new String(output.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("{\"event_id\":1e+21,true}");
    assertThatThrownBy(() -> output.raw("a\"b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JcsOutput.plainKey("caf\u00e9")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JcsOutput.plainKey("a\nb")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void numbersAreWrittenInPlaceAsTheirEcmaScriptTextAndNaNWritesNothing() {
    SplittableRandom random = new SplittableRandom(8785);
    JcsOutput output = new JcsOutput(4);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      double value = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * 512;
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        continue;
      }
      output.number(value).raw(',');
      expected.append(EcmaNumber.format(value)).append(',');
    }
    output.number(-Double.MIN_VALUE).raw(',').number(-0.0);
    expected.append("-5e-324,0");
    assertThatThrownBy(() -> output.number(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> output.number(Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new String(output.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
  }

  @Test
  void aClearedOutputStartsAgainAndKeepsItsBuffer() {
    JcsOutput output = new JcsOutput(16).string("x".repeat(100));
    int capacity = output.capacity();
    assertThat(output.clear().raw('1').toByteArray()).containsExactly('1');
    assertThat(output.capacity()).isEqualTo(capacity);
  }

  /** Code units of every kind: ASCII (controls, quote, backslash), Latin-1, BMP, pairs and lone halves. */
  private static String randomString(SplittableRandom random) {
    StringBuilder string = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(7)) {
        case 0 -> string.append((char) random.nextInt(0x20));
        case 1 -> string.append("\"\\/".charAt(random.nextInt(3)));
        case 2 -> string.append((char) random.nextInt(0x20, 0x80));
        case 3 -> string.append((char) random.nextInt(0x80, 0x800));
        case 4 -> string.append((char) random.nextInt(0x800, 0x10000));
        case 5 -> string.appendCodePoint(random.nextInt(0x10000, 0x110000));
        default -> string.append((char) random.nextInt(0xd800, 0xe000));
      }
    }
    return string.toString();
  }

  /** What RFC 8785 adds for the characters it escapes: one for a two-character escape, five for {@code \\u00xx}. */
  private static int escapeGrowth(String string) {
    int growth = 0;
    for (char c : string.toCharArray()) {
      if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
        growth += 1;
      } else if (c < 0x20) {
        growth += 5;
      }
    }
    return growth;
  }

  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
  }
}
