package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict JSON parser: what it returns and what it refuses. */
class JsonTest {

  @Test
  void valuesParseToPlainJavaTypes() {
    Object value = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"], \"b\": {}} ");
    assertThat(value).isInstanceOf(Map.class);
    List<Object> array = (List<Object>) ((Map<?, ?>) value).get("a");
    assertThat(array).containsExactly(new JsonNumber("1"), new JsonNumber("-2.5e3"), true, false, Json.NULL, "x");
    assertThat(((Map<?, ?>) value).get("b")).isEqualTo(Map.of());
  }

  @Test
  void keyOrderIsKept() {
    Map<String, Object> object = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
    assertThat(object.keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void numbersStayExact() {
    JsonNumber max = (JsonNumber) Json.parse("18446744073709551615");
    assertThat(max.text()).isEqualTo("18446744073709551615");
    assertThat(UnsignedNumbers.parse(max.text())).isEqualTo(-1L);
    assertThat(((JsonNumber) Json.parse("0.1000000000000000000001")).bigDecimalValue())
        .hasToString("0.1000000000000000000001");
    assertThat(((JsonNumber) Json.parse("9007199254740993")).longValue()).isEqualTo(9007199254740993L);
  }

  @Test
  void escapesAndSurrogatePairsDecode() {
    assertThat(Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""))
        .isEqualTo("\"\\/\b\f\n\r\té\ud83d\ude00");
    assertThat(Json.parse("\"\ud83d\ude00\"")).isEqualTo("\ud83d\ude00");
  }

  @Test
  void duplicateKeysHaveTheirOwnException() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}"))
        .isInstanceOf(DuplicateKeyException.class).hasMessageContaining("\"c\"");
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"\\u0061\":2}")).isInstanceOf(DuplicateKeyException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "-01", "1.",
      ".5", "+1", "1e", "1e+", "-", "0x10", "NaN", "Infinity", "tru", "nul", "'a'", "\"a", "\"\\x\"", "\"\\u12\"",
      "\"\\u12g4\"", "\"\\u\u0660\u0660\u0664\u0661\"", "\"\\u\uff10\uff10\uff14\uff21\"", "\"a\tb\"",
      "\"a\nb\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\ud800\"",
      "\"\udc00x\"", "{} {}", "1 2", "[] x", "\"a\"\u0000", "\ufeff{}"})
  void malformedJsonIsRejected(String text) {
    assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class)
        .isNotInstanceOf(DuplicateKeyException.class);
  }

  @Test
  void nestingIsBounded() {
    String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(deepest)).isInstanceOf(List.class);
    String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThatThrownBy(() -> Json.parse(tooDeep)).isInstanceOf(JsonException.class).hasMessageContaining("deeper");
    assertThatThrownBy(() -> Json.parse("{\"a\":".repeat(100_000))).isInstanceOf(JsonException.class);
  }
}
