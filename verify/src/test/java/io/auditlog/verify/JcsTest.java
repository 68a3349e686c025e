package io.auditlog.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 canonical JSON: the RFC's examples and the cases of spec §12.6 that need no service. */
class JcsTest {

  @ParameterizedTest(name = "0x{0} → {1}")
  @CsvSource({
      "0000000000000000, 0",
      "8000000000000000, 0",
      "0000000000000001, 5e-324",
      "8000000000000001, -5e-324",
      "7fefffffffffffff, 1.7976931348623157e+308",
      "ffefffffffffffff, -1.7976931348623157e+308",
      "4340000000000000, 9007199254740992",
      "c340000000000000, -9007199254740992",
      "4430000000000000, 295147905179352830000",
      "44b52d02c7e14af5, 9.999999999999997e+22",
      "44b52d02c7e14af6, 1e+23",
      "44b52d02c7e14af7, 1.0000000000000001e+23",
      "444b1ae4d6e2ef4e, 999999999999999700000",
      "444b1ae4d6e2ef4f, 999999999999999900000",
      "444b1ae4d6e2ef50, 1e+21",
      "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
      "3eb0c6f7a0b5ed8d, 0.000001",
      "41b3de4355555553, 333333333.3333332",
      "41b3de4355555554, 333333333.33333325",
      "41b3de4355555555, 333333333.3333333",
      "41b3de4355555556, 333333333.3333334",
      "41b3de4355555557, 333333333.33333343",
      "becbf647612f3696, -0.0000033333333333333333",
      "43143ff3c1cb0959, 1424953923781206.2"})
  void numbersAreWrittenAsRfc8785AppendixBSays(String bits, String expected) {
    double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    assertThat(Jcs.canonical(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "0.1, 0.1",
      "1.0, 1",
      "1e21, 1e+21",
      "1E21, 1e+21",
      "1e20, 100000000000000000000",
      "1e-7, 1e-7",
      "1e-6, 0.000001",
      "-0, 0",
      "-0.0, 0",
      "12.50, 12.5",
      "9007199254740993, 9007199254740992",
      "5e-324, 5e-324",
      "2.2250738585072014e-308, 2.2250738585072014e-308",
      "123456789012345680000, 123456789012345680000",
      "0.30000000000000004, 0.30000000000000004",
      "100, 100",
      "4.35, 4.35",
      "0.000001234, 0.000001234",
      "1.5e300, 1.5e+300"})
  void parsedNumbersAreWrittenAsEcmaScriptWritesTheirDouble(String json, String expected) {
    assertThat(Jcs.canonical(Json.parse(json))).isEqualTo(expected);
  }

  @Test
  void digitsAreShorterThanJava17Writes() {
    assertThat(Double.toString(2.82879384806159E17)).isEqualTo("2.82879384806159008E17");
    assertThat(Jcs.canonical(2.82879384806159E17)).isEqualTo("282879384806159000");
    assertThat(Double.toString(1e23)).isEqualTo("9.999999999999999E22");
    assertThat(Jcs.canonical(1e23)).isEqualTo("1e+23");
  }

  @Test
  void randomDoublesRoundTripWithNoMoreDigitsThanJavaWrites() {
    Random random = new Random(8785);
    for (int i = 0; i < 20_000; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        continue;
      }
      String text = Jcs.canonical(value);
      assertThat(Double.parseDouble(text)).as(text).isEqualTo(value == 0 ? 0.0 : value);
      assertThat(digits(text)).as(text).isLessThanOrEqualTo(digits(Double.toString(value)));
    }
  }

  private static int digits(String number) {
    return new BigDecimal(number).stripTrailingZeros().unscaledValue().abs().toString().length();
  }

  @Test
  void theRfcValuesExampleCanonicalizes() {
    String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
        + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
        + "  \"literals\": [null, true, false]\n}";
    String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    assertThat(Jcs.canonical(Json.parse(input))).isEqualTo(expected);
    assertThat(Bytes.hex(Jcs.canonicalBytes(Json.parse(input)))).isEqualTo(
        "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b333333333333333333"
            + "2e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c753030"
            + "30665c6e4127425c225c5c5c5c5c222f227d");
  }

  @Test
  void keysAreSortedByUtf16CodeUnits() {
    String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\","
        + "\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
        + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
        + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
    Map<String, ?> sorted = (Map<String, ?>) Json.parse(Jcs.canonical(Json.parse(input)));
    assertThat(new ArrayList<>(sorted.keySet()))
        .containsExactly("\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33");
  }

  @Test
  void theWeirdExampleCanonicalizes() {
    String input = "{\n  \"\\u20ac\": \"Euro Sign\",\n  \"1\": \"One\",\n  \"\\u0080\": \"Control\\u007f\",\n"
        + "  \"\\ud83d\\ude02\": \"Smiley\",\n  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n"
        + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n  \"</script>\": \"Browser Challenge\"\n}\n";
    assertThat(Jcs.canonical(Json.parse(input))).isEqualTo("{\"1\":\"One\",\"</script>\":\"Browser Challenge\","
        + "\"\u0080\":\"Control\u007f\",\"ö\":\"Latin Small Letter O With Diaeresis\",\"€\":\"Euro Sign\","
        + "\"\ud83d\ude02\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void stringsEscapeOnlyWhatJsonRequires() {
    String all = "\"\\\b\f\n\r\t\u0000\u0001\u001f /<>&\u007f\u00e9\u2028\ud83d\ude00";
    assertThat(Jcs.canonical(all))
        .isEqualTo("\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f /<>&\u007f\u00e9\u2028\ud83d\ude00\"");
    assertThat(Jcs.canonicalBytes("é€😀")).isEqualTo("\"é€😀\"".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void nestedObjectsAreSortedAtEveryLevelAndArraysKeepTheirOrder() {
    String input = "{\"b\":{\"z\":[3,{\"y\":1,\"x\":2.0}],\"a\":{}},\"a\":[[],[{}],\"s\"]}";
    assertThat(Jcs.canonical(Json.parse(input)))
        .isEqualTo("{\"a\":[[],[{}],\"s\"],\"b\":{\"a\":{},\"z\":[3,{\"x\":2,\"y\":1}]}}");
  }

  @Test
  void plainJavaValuesCanonicalizeLikeParsedOnes() {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("ratio", 0.1);
    detail.put("big", BigInteger.ONE.shiftLeft(53).add(BigInteger.ONE));
    detail.put("count", 3L);
    detail.put("price", new BigDecimal("12.50"));
    detail.put("none", null);
    detail.put("sentinel", Json.NULL);
    detail.put("flags", Arrays.asList(true, false, 1.0f));
    assertThat(Jcs.canonical(detail)).isEqualTo(
        "{\"big\":9007199254740992,\"count\":3,\"flags\":[true,false,1],\"none\":null,\"price\":12.5,\"ratio\":0.1,"
            + "\"sentinel\":null}");
    assertThat(Jcs.canonical(detail)).isEqualTo(Jcs.canonical(Json.parse(Jcs.canonical(detail))));
  }

  @Test
  void whatJsonCannotHoldIsRejected() {
    assertThatThrownBy(() -> Jcs.canonical(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jcs.canonical(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jcs.canonical(Json.parse("1e400"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jcs.canonical("\ud800")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jcs.canonical("a\udc00b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jcs.canonical(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jcs.canonical(new Object())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theProjectVectorMatchesByteForByte() {
    String jcs = ProjectVector.DOCUMENT;
    String reordered = "{\"timestamp\":\"2022-02-22T19:22:22.000000007Z\",\"status\":\"200\","
        + "\"source_information\":{\"environment\":\"prod\",\"application\":\"portal\"},\"method\":\"POST\","
        + "\"level\":\"info\",\"id\":\"017f22e2-79b0-7cc4-a1b2-c3d4e5f60718\","
        + "\"event_id\":\"017f22e2-79b0-7cc3-98c4-dc0c0c07398f\",\"event\":{\"type\":\"user\",\"total_duration\":12.50,"
        + "\"stage\":1,\"name\":\"login\",\"memory_usage\":6.4e1,\"latency\":3.0,"
        + "\"description\":\"Anmeldung \\u00fcber SSO\","
        + "\"cpu_usage\":0.250,\"affected_resources\":1},\"category\":\"auth\",\"actor\":{\"origin\":\"203.0.113.7\"}}";
    byte[] canonical = Jcs.canonicalBytes(Json.parse(reordered));
    assertThat(canonical).hasSize(481).isEqualTo(jcs.getBytes(StandardCharsets.UTF_8));
    assertThat(Jcs.canonical(Json.parse(jcs))).isEqualTo(jcs);
  }

  @Test
  void eventShapedDocumentsSurviveARoundTrip() {
    List<String> documents = List.of(
        "{\"metadata\":[{\"name\":\"n\",\"value\":null},{\"is_metric\":true,\"name\":\"m\",\"value\":1e21}]}",
        "{\"event\":{\"detail\":{\"deep\":{\"er\":[1,2.5,\"\\u0000\"]}}}}",
        "{\"description\":\"tab\\tnewline\\nquote\\\"backslash\\\\ unicode \\u00e4\\u4e2d\\ud83d\\ude00\"}");
    for (String document : documents) {
      String canonical = Jcs.canonical(Json.parse(document));
      assertThat(Jcs.canonical(Json.parse(canonical))).isEqualTo(canonical);
    }
  }
}
