package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AST → exact InfluxQL, and whether the evaluator must still decide. */
class InfluxqlCompilerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final InfluxqlCompiler compiler = new InfluxqlCompiler(NOW);

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "REQUEST_METHOD = POST AND RESPONSE_STATUS = 200 | (\"method\" = 'POST' AND \"status\" = '200') | true",
      "method = GET OR method = PUT                    | (\"method\" = 'GET' OR \"method\" = 'PUT')  | true",
      "NOT (method = GET OR level = info)              | (\"method\" != 'GET' AND \"level\" != 'info') | true",
      "cpu_usage >= 0.5                                | \"cpu_usage\" >= 0.5                      | true",
      "NOT cpu_usage > 2                               | \"cpu_usage\" <= 2.0                      | true",
      "login_time > 1                                  | \"login_time\" > 1.0                      | true",
      "NOT login_time > 1                              | ``                                        | false",
      "origin = '10.0.0.1'                             | \"origin\" = '10.0.0.1'                   | true",
      "event.description != x                          | ``                                        | false",
      "event.name @rx 'Log(in)?'                       | \"event_name\" =~ /^(?:Log(in)?)$/        | true",
      "event.name @rx '(?<=a)b'                        | ``                                        | false",
      "event.name @contains 'a/b.c'                    | \"event_name\" =~ /a\\/b\\.c/            | true",
      "event.name @beginsWith Log                      | \"event_name\" =~ /^Log/                  | true",
      "event.name !@endsWith in                        | \"event_name\" !~ /in$/                   | true",
      "event.name @sx 'Log*'                           | \"event_name\" =~ /^(?:(?is)Log.*)$/      | true",
      "event.name @contains ''                         | ``                                        | false",
      "resource.type = ''                              | ``                                        | false",
      "origin @ipMatch 10.0.0.0/8                      | ``                                        | false",
      "status >= 400                                   | ``                                        | false",
      "category = x AND method = GET                   | \"method\" = 'GET'                        | false",
      "category = x OR method = GET                    | ``                                        | false",
      "time >= 2025-12-31                              | time >= 1767139200000000000               | true",
      "age < 1d                                        | time > 1767139200000000000                | true",
      "event.name = 'it\\'s'                          | \"event_name\" = 'it\\'s'                | true",
      "event.name = \"x'; DROP DATABASE y\"            | \"event_name\" = 'x\\'; DROP DATABASE y' | true"})
  void compilesWhatInfluxQlCanSayAndWidensTheRest(String filter, String where, boolean exact) {
    CompiledFilter compiled = compiler.compile(FilterParser.parse(filter));
    assertThat(compiled.where()).isEqualTo(where == null ? "" : where);
    assertThat(compiled.exact()).isEqualTo(exact);
  }
}
