package io.auditlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.filter.FilterParser;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AST → exact InfluxQL text and bound parameters, and whether the evaluator must still decide. */
class InfluxqlCompilerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final InfluxqlCompiler compiler = new InfluxqlCompiler(NOW);

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "REQUEST_METHOD = POST AND RESPONSE_STATUS = 200 | ($p0 = $p1 AND $p2 = $p3) {\"p0\":{\"identifier\":\"method\"},\"p1\":\"POST\",\"p2\":{\"identifier\":\"status\"},\"p3\":\"200\"} | true",
      "NOT (method = GET OR level = info)              | ($p0 != $p1 AND $p2 != $p3) {\"p0\":{\"identifier\":\"method\"},\"p1\":\"GET\",\"p2\":{\"identifier\":\"level\"},\"p3\":\"info\"} | true",
      "cpu_usage >= 0.5                                | $p0 >= $p1 {\"p0\":{\"identifier\":\"cpu_usage\"},\"p1\":0.5} | true",
      "NOT cpu_usage > 2                               | $p0 <= $p1 {\"p0\":{\"identifier\":\"cpu_usage\"},\"p1\":2.0} | true",
      "NOT login_time > 1                              | ` {}`                                     | false",
      "event.description != x                          | ` {}`                                     | false",
      "event.name @rx 'Log(in)?'                       | $p0 =~ $p1 {\"p0\":{\"identifier\":\"event_name\"},\"p1\":{\"regex\":\"^(?:Log(in)?)$\"}} | true",
      "event.name @contains 'a/b.c\\\\'                | $p0 =~ $p1 {\"p0\":{\"identifier\":\"event_name\"},\"p1\":{\"regex\":\"a/b\\\\.c\\\\\\\\\"}} | true",
      "event.name @beginsWith Log                      | $p0 =~ $p1 {\"p0\":{\"identifier\":\"event_name\"},\"p1\":{\"regex\":\"^Log\"}} | true",
      "event.name !@endsWith in                        | $p0 !~ $p1 {\"p0\":{\"identifier\":\"event_name\"},\"p1\":{\"regex\":\"in$\"}} | true",
      "event.name @sx 'Log*'                           | $p0 =~ $p1 {\"p0\":{\"identifier\":\"event_name\"},\"p1\":{\"regex\":\"^(?:(?is)Log.*)$\"}} | true",
      "event.name @contains ''                         | ` {}`                                     | false",
      "resource.type = ''                              | ` {}`                                     | false",
      "origin @ipMatch 10.0.0.0/8                      | ` {}`                                     | false",
      "category = x AND method = GET                   | $p0 = $p1 {\"p0\":{\"identifier\":\"method\"},\"p1\":\"GET\"} | false",
      "category = x OR method = GET                    | ` {}`                                     | false",
      "time >= 2025-12-31                              | time >= $p0 {\"p0\":1767139200000000000}  | true",
      "age < 1d                                        | time > $p0 {\"p0\":1767139200000000000}   | true",
      "SEVERITY = critical                             | $p0 = $p1 {\"p0\":{\"identifier\":\"level\"},\"p1\":\"critical\"} | true",
      "SEVERITY <= 1                                   | `$p0 =~ $p1 {\"p0\":{\"identifier\":\"level\"},\"p1\":{\"regex\":\"^(?i:alert|emerg|emergency)$\"}}` | true",
      "SEVERITY != 255                                 | $p0 !~ $p1 {\"p0\":{\"identifier\":\"level\"},\"p1\":{\"regex\":\"^(?i:none)$\"}} | true",
      "SEVERITY > 255                                  | ` {}`                                     | false",
      "SENSOR_NAME = edge-01 AND RULE_ID = 942100      | $p0 = $p1 {\"p0\":{\"identifier\":\"app\"},\"p1\":\"edge-01\"} | false",
      "RULE_ID = 1 OR method = GET                     | ` {}`                                     | false",
      "&method = 1                                     | ` {}`                                     | false",
      "SENSOR_DATE >= 2025-03-12                       | ` {}`                                     | false",
      "UNIQUE_ID = Z9FS-1                              | ($p0 = $p1 OR $p2 =~ $p3) {\"p0\":{\"identifier\":\"id\"},\"p1\":\"Z9FS-1\",\"p2\":{\"identifier\":\"metadata\"},\"p3\":{\"regex\":\"\\\"Z9FS-1\\\"\"}} | false",
      "UNIQUE_ID != Z9FS-1                             | ` {}`                                     | false",
      "TX_ID = 'a\"b'                                  | ` {}`                                     | false",
      "event.name = \"x'; DROP DATABASE y\"            | $p0 = $p1 {\"p0\":{\"identifier\":\"event_name\"},\"p1\":\"x'; DROP DATABASE y\"} | true"})
  void compilesWhatInfluxQlCanSayAndWidensTheRest(String filter, String where, boolean exact) {
    CompiledFilter compiled = compiler.compile(FilterParser.parse(filter));
    assertThat(compiled.where().toString()).isEqualTo(where);
    assertThat(compiled.exact()).isEqualTo(exact);
  }
}
