package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A pattern anchored for a search means what the pattern means for a whole-value match, whenever the pattern
 * compiles: checked against RE2/J itself over generated patterns full of quotes ({@code \Q}, {@code \E}),
 * escapes, groups and classes, and generated values.
 */
class AnchoredRegexTest {

  private static final String[] PIECES = {"a", "b", "\\", "\\Q", "\\E", "\\\\", "(", ")", "|", "*", ".", "[", "]",
      "Q", "E", ")$", "?"};
  private static final String VALUE_CHARS = "abQE\\()|*.$";

  @Test
  void anchoredSearchMeansWholeMatchForEveryPatternThatCompiles() {
    Random random = new Random(11);
    int compiled = 0;
    int quoted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(7); n >= 0; n--) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      String pattern = text.toString();
      Pattern bare;
      try {
        bare = Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        continue;
      }
      compiled++;
      quoted += pattern.contains("\\Q") ? 1 : 0;
      Pattern anchored = Pattern.compile(Literals.anchoredRegex(pattern));
      for (int v = 0; v < 8; v++) {
        String value = value(random);
        assertThat(anchored.matcher(value).find()).as("%s on %s", pattern, value)
            .isEqualTo(bare.matcher(value).matches());
      }
    }
    assertThat(compiled).isGreaterThan(20_000);
    assertThat(quoted).isGreaterThan(2_000);
  }

  @Test
  void anOpenQuoteIsClosedBeforeTheAnchorAndAClosedOneIsLeftAlone() {
    assertThat(Literals.anchoredRegex("\\Qlogin")).isEqualTo("^(?:\\Qlogin\\E)$");
    assertThat(Literals.anchoredRegex("\\Qa.b\\E.*")).isEqualTo("^(?:\\Qa.b\\E.*)$");
    assertThat(Literals.anchoredRegex("\\\\Q")).isEqualTo("^(?:\\\\Q)$");
    assertThat(Pattern.compile(Literals.anchoredRegex("\\Qa.b")).matcher("a.b").find()).isTrue();
    assertThat(Pattern.compile(Literals.anchoredRegex("\\Qa.b")).matcher("axb").find()).isFalse();
  }

  @Test
  void aPatternLeftQuotedIsAcceptedAndAnUnbalancedOneRefused() {
    assertThat(FilterParser.parse("event.name @rx '\\Qlogin'")).isNotNull();
    assertThatThrownBy(() -> FilterParser.parse("event.name @rx 'a)|(b'")).isInstanceOf(RuntimeException.class);
  }

  private static String value(Random random) {
    StringBuilder value = new StringBuilder();
    for (int n = random.nextInt(6); n > 0; n--) {
      value.append(VALUE_CHARS.charAt(random.nextInt(VALUE_CHARS.length())));
    }
    return value.toString();
  }
}
