package io.auditlog.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfluxQlTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "plain | 'plain'",
      "it's | 'it\\'s'",
      "back\\slash | 'back\\\\slash'",
      "x'; DROP DATABASE a; -- | 'x\\'; DROP DATABASE a; --'",
      "ends with \\ | 'ends with \\\\'"})
  void stringLiteralsCannotEndEarly(String value, String expected) {
    assertThat(InfluxQl.string(value)).isEqualTo(expected);
  }

  @Test
  void escapesLineBreaksInStringsAndRegexes() {
    assertThat(InfluxQl.string("a\nb")).isEqualTo("'a\\nb'");
    assertThat(InfluxQl.regex("a/b\nc")).isEqualTo("/a\\/b\\nc/");
  }

  @Test
  void aRegexLiteralAlwaysEndsAtItsOwnSlash() {
    assertThat(InfluxQl.regex("a\\/b")).isEqualTo("/a\\/b/");
    assertThat(InfluxQl.regex("a\\\\/b")).isEqualTo("/a\\\\\\/b/");
    assertThat(InfluxQl.regex("trailing\\")).isEqualTo("/trailing\\\\/");
    assertThat(InfluxQl.regex(InfluxQl.quoteRegex("x/y"))).isEqualTo("/x\\/y/");
  }

  @Test
  void identifiersEscapeTheirQuotes() {
    assertThat(InfluxQl.identifier("cat\"egory")).isEqualTo("\"cat\\\"egory\"");
  }

  @Test
  void quotedRegexesMatchOnlyTheLiteralText() {
    String literal = "a.b*(c)|[d]{1}^$\\/-+?";
    Pattern pattern = Pattern.compile(InfluxQl.quoteRegex(literal));
    assertThat(pattern.matcher(literal).matches()).isTrue();
    assertThat(pattern.matcher("aXb*(c)|[d]{1}^$\\/-+?").matches()).isFalse();
  }
}
