package io.auditlog.modsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Lines read from bytes are the lines of the bytes decoded whole by the JDK's UTF-8 decoder (malformed input
 * replaced): random bytes, rich in line breaks, whitespace, malformed and partial sequences.
 */
class ByteLinesTest {
  private static final byte[] ALPHABET = {'\n', '\r', ' ', '\t', 0x0b, 0x1c, 'a', 'M', ':', (byte) 0xc3, (byte) 0xa9,
      (byte) 0xe2, (byte) 0x80, (byte) 0x83, (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, (byte) 0xff,
      (byte) 0xed, (byte) 0xa0, (byte) 0xc0};

  static byte[] random(Random random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = random.nextInt(8) == 0 ? (byte) random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return bytes;
  }

  /** The lines as the whole text split at LF, one CR at each end removed. */
  static List<String> splitWhole(byte[] bytes) {
    List<String> lines = new ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    return lines;
  }

  @Test
  void linesAreThoseOfTheWholeTextAndACutLineIsTheCutOfTheWholeLine() {
    Random random = new Random(20261204L);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = random(random, random.nextInt(64));
      List<String> expected = splitWhole(bytes);
      ByteLines lines = new ByteLines(bytes);
      int max = random.nextInt(12);
      for (String line : expected) {
        assertThat(lines.next()).isTrue();
        assertThat(lines.text()).isEqualTo(line);
        assertThat(lines.isBlank()).as(line).isEqualTo(line.isBlank());
        assertThat(lines.isEmpty()).isEqualTo(line.isEmpty());
        assertThat(lines.text(max)).as("cut to %d", max).isEqualTo(Text.cutBytes(line, max));
        assertThat(lines.startsWith("M:")).isEqualTo(line.startsWith("M:"));
      }
      assertThat(lines.next()).isFalse();
    }
  }

  @Test
  void theFirstLineThatIsNotBlankIsTheWholeTextsOne() {
    Random random = new Random(4L);
    for (int round = 0; round < 5_000; round++) {
      byte[] bytes = random(random, random.nextInt(40));
      String expected = splitWhole(bytes).stream().filter(line -> !line.isBlank()).findFirst().orElse(null);
      assertThat(ByteLines.firstNonBlank(bytes)).isEqualTo(expected);
    }
  }
}
