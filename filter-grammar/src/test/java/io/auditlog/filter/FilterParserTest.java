package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.filter.Filter.And;
import io.auditlog.filter.Filter.Condition;
import io.auditlog.filter.Filter.Not;
import io.auditlog.filter.Filter.Or;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Input → AST, and input → exact error text with position. */
class FilterParserTest {

  private static Condition cond(String variable, Operator op, boolean negated, String literal) {
    return new Condition(Variables.resolve(variable).orElseThrow(), op, negated, literal);
  }

  @Test
  void parsesTheSeedsExample() {
    assertThat(FilterParser.parse("REQUEST_METHOD = POST AND RESPONSE_STATUS = 200")).isEqualTo(new And(List.of(
        cond("method", Operator.EQ, false, "POST"), cond("status", Operator.EQ, false, "200"))));
  }

  @Test
  void andBindsTighterThanOrAndNotTighterThanAnd() {
    assertThat(FilterParser.parse("method = GET OR NOT method = PUT AND level = info")).isEqualTo(new Or(List.of(
        cond("method", Operator.EQ, false, "GET"),
        new And(List.of(new Not(cond("method", Operator.EQ, false, "PUT")), cond("level", Operator.EQ, false,
            "info"))))));
  }

  @Test
  void parenthesesGroupAndABareValueEndsAtAClosingParenthesis() {
    assertThat(FilterParser.parse("(method = GET OR method = PUT) AND status = 200")).isEqualTo(new And(List.of(
        new Or(List.of(cond("method", Operator.EQ, false, "GET"), cond("method", Operator.EQ, false, "PUT"))),
        cond("status", Operator.EQ, false, "200"))));
  }

  @Test
  void keywordsOperatorsAndVariablesAreCaseInsensitive() {
    assertThat(FilterParser.parse("Method == GET and not Severity !@Rx 'warn|error'")).isEqualTo(new And(List.of(
        cond("method", Operator.EQ, false, "GET"), new Not(cond("SEVERITY", Operator.RX, true, "warn|error")))));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "event.name = 'two words'         | two words",
      "event.name = 'it\\'s'            | it's",
      "event.name = \"say \\\"hi\\\"\"  | say \"hi\"",
      "event.name = 'a\\\\b'            | a\\b",
      "event.name = '4\\d\\d'           | 4\\d\\d",
      "event.name = ''                  | ``"})
  void unquotesLiteralsKeepingUnknownEscapes(String filter, String literal) {
    assertThat(((Condition) FilterParser.parse(filter)).literal()).isEqualTo(literal);
  }

  @Test
  void readsNegatedOperatorsAndAliases() {
    assertThat(FilterParser.parse("REMOTE_ADDR <> 10.0.0.1")).isEqualTo(cond("origin", Operator.EQ, true, "10.0.0.1"));
    assertThat(FilterParser.parse("TX_ID != abc")).isEqualTo(cond("UNIQUE_ID", Operator.EQ, true, "abc"));
    assertThat(FilterParser.parse("SENSOR_NAME = edge-01")).isEqualTo(cond("app", Operator.EQ, false, "edge-01"));
    assertThat(FilterParser.parse("REMOTE_HOST @ipMatch 10.0.0.0/8"))
        .isEqualTo(cond("origin", Operator.IP_MATCH, false, "10.0.0.0/8"));
    assertThat(FilterParser.parse("resource_type @in 'User,Acc*'"))
        .isEqualTo(cond("resource.type", Operator.IN, false, "User,Acc*"));
  }

  @Test
  void anEmptyFilterMatchesEverything() {
    assertThat(FilterParser.parse("  ")).isEqualTo(new Filter.MatchAll());
    assertThat(FilterParser.parse(null)).isEqualTo(new Filter.MatchAll());
  }

  @Test
  void customMetricsAndMetadataAreVariables() {
    assertThat(((Condition) FilterParser.parse("login_time > 0.5")).variable())
        .isEqualTo(new Variable("login_time", Variable.Kind.NUMBER, "login_time", false));
    assertThat(((Condition) FilterParser.parse("metadata.team = core")).variable().kind())
        .isEqualTo(Variable.Kind.METADATA);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "method=POST             | line 1:7: an operator needs white space on both sides: write 'method = POST'",
      "method                  | line 1:7: expected an operator after 'method'",
      "method =                | line 1:9: expected a value after '='",
      "event.name = two words  | line 1:18: expected AND, OR or the end of the filter, found 'words'",
      "method = GET AND        | line 1:17: expected a condition after 'AND'",
      "(method = GET           | line 1:14: expected ')' to close the group",
      "method = GET XOR x = y  | line 1:14: expected AND, OR or the end of the filter, found 'XOR'",
      "method IN GET,PUT       | line 1:8: expected an operator after 'method', found 'IN'",
      "origin @rx '('          | line 1:12: invalid regular expression: missing closing )",
      "origin @rx '(?=a)(.*a){12}' | line 1:12: invalid regular expression (RE2 has no lookaround or backreferences): invalid or unsupported Perl syntax: `(?=`",
      "origin @rx '(a)\\1'    | line 1:12: invalid regular expression (RE2 has no lookaround or backreferences): invalid escape sequence: `\\1`",
      "origin @rx '((a{1000}){1000}){1000}' | line 1:12: invalid regular expression: repetitions inside repetitions multiply to more than 1000",
      "origin @rx '(a{11}){100}' | line 1:12: invalid regular expression: repetitions inside repetitions multiply to more than 1000",
      "method = 'GET           | line 1:10: unterminated quoted value",
      "foo.bar = 1             | line 1:1: unknown variable 'foo.bar'",
      "method = GET)           | line 1:13: unexpected ')' without a matching '('",
      "method = a(b            | line 1:11: a value containing '(' must be quoted, e.g. 'a(...'",
      "cpu_usage > high        | line 1:13: expected a number after '>' for cpu_usage",
      "cpu_usage > 1e9999999999 | line 1:13: expected a number after '>' for cpu_usage",
      "&ARGS < 1e-99999999999  | line 1:9: expected a number after '<' for &ARGS",
      "method @foo x           | line 1:8: unknown operator '@foo'",
      "AND method = GET        | line 1:1: expected a condition, found 'AND'",
      "origin @ipMatch 10.0.0  | line 1:17: expected IP addresses or CIDR ranges separated by commas",
      "time > yesterday        | line 1:8: expected a date or time after '>' for time",
      "SENSOR_DATE > today     | line 1:15: expected a date or time after '>' for SENSOR_DATE",
      "&RULE_ID = none         | line 1:12: expected a number after '=' for &RULE_ID",
      "&RULE_ID @rx 1          | line 1:14: '@rx' does not apply to the number &RULE_ID",
      "&foo.bar = 1            | line 1:1: unknown variable 'foo.bar'",
      "& = 1                   | line 1:1: unknown variable '&'",
      "TAGS @contains x        | line 1:1: unknown variable 'TAGS'",
      "SITE_NAME = x           | line 1:1: unknown variable 'SITE_NAME'",
      "sensor_id = x           | line 1:1: unknown variable 'sensor_id'",
      "GEO:COUNTRY_CODE = DE   | line 1:1: unknown variable 'GEO:COUNTRY_CODE'",
      "TX:anomaly_score > 5    | line 1:1: unknown variable 'TX:anomaly_score'",
      "SESSION = x             | line 1:1: unknown variable 'SESSION'",
      "&TX = 0                 | line 1:1: unknown variable 'TX'",
      "RULE_ID:1 = x           | line 1:1: unknown variable 'RULE_ID:1'",
      "ARGS: = x               | line 1:1: unknown variable 'ARGS:'"})
  void reportsErrorsWithPositionAndWhatWasExpected(String filter, String message) {
    assertThatThrownBy(() -> FilterParser.parse(filter))
        .isInstanceOf(FilterSyntaxException.class)
        .hasMessage(message);
  }

  @Test
  void readsModsecurityVariablesAndCollectionMembers() {
    for (String name : new String[] {"REQUEST_URI", "REQUEST_URI_RAW", "QUERY_STRING", "REQUEST_LINE",
        "REQUEST_PROTOCOL", "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES", "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES",
        "ARGS", "ARGS_NAMES", "ARGS_GET", "ARGS_POST", "REQUEST_BODY", "RESPONSE_BODY", "RESPONSE_PROTOCOL",
        "RESPONSE_HEADERS", "RESPONSE_HEADERS_NAMES", "REMOTE_PORT", "SERVER_ADDR", "SERVER_PORT", "SERVER_NAME",
        "RULE_ID", "RULE_MSG", "RULE_DATA", "RULE_FILE", "RULE_LINE", "RULE_SEV", "MESSAGE", "RULE_TAG",
        "HIGHEST_SEVERITY", "LOWEST_SEVERITY", "WEBAPPID", "SESSIONID"}) {
      Variable variable = ((Condition) FilterParser.parse(name.toLowerCase() + " @contains x")).variable();
      assertThat(variable).as(name).isEqualTo(new Variable(name, Variable.Kind.MODSEC, name, false));
    }
    assertThat(((Condition) FilterParser.parse("request_headers:User-Agent @rx '(?i).*nikto.*'")).variable())
        .isEqualTo(new Variable("REQUEST_HEADERS:User-Agent", Variable.Kind.MODSEC, "REQUEST_HEADERS", false,
            Optional.of("User-Agent"), false));
    assertThat(((Condition) FilterParser.parse("ARGS:password @contains \"1'='1\"")).literal()).isEqualTo("1'='1");
    assertThat(((Condition) FilterParser.parse("SENSOR_DATE >= 2025-03-12")).variable().kind())
        .isEqualTo(Variable.Kind.SENSOR_TIME);
    assertThat(((Condition) FilterParser.parse("SEVERITY <= 2")).variable().kind())
        .isEqualTo(Variable.Kind.SEVERITY);
  }

  @Test
  void readsTheCountForm() {
    assertThat(FilterParser.parse("&RULE_ID = 0 AND &request_headers:content-type >= 1")).isEqualTo(new And(List.of(
        new Condition(Variables.resolve("RULE_ID").orElseThrow().count(), Operator.EQ, false, "0"),
        new Condition(Variables.resolve("REQUEST_HEADERS:content-type").orElseThrow().count(), Operator.GE, false,
            "1"))));
    assertThat(((Not) FilterParser.parse("NOT &method != 1")).operand())
        .isEqualTo(new Condition(Variables.resolve("method").orElseThrow().count(), Operator.EQ, true, "1"));
    assertThat(FilterParser.parse("event.name = &amp")).isEqualTo(cond("event.name", Operator.EQ, false, "&amp"));
    assertThat(FilterParser.parse("(&ARGS > 2)")).isEqualTo(
        new Condition(Variables.resolve("ARGS").orElseThrow().count(), Operator.GT, false, "2"));
    assertThatThrownBy(() -> FilterParser.parse("NOT ".repeat(65) + "&RULE_ID = 0"))
        .hasMessage("line 1:257: parentheses and NOT may nest at most 64 deep");
  }

  @Test
  void refusesFiltersNestedTooDeepOrTooLongAndKeepsLongChainsFlat() {
    assertThatThrownBy(() -> FilterParser.parse("(".repeat(65) + "method = GET" + ")".repeat(65)))
        .hasMessage("line 1:65: parentheses and NOT may nest at most 64 deep");
    assertThatThrownBy(() -> FilterParser.parse("NOT ".repeat(65) + "method = GET"))
        .hasMessage("line 1:257: parentheses and NOT may nest at most 64 deep");
    assertThat(FilterParser.parse("(".repeat(64) + "method = GET" + ")".repeat(64)))
        .isInstanceOf(Filter.Condition.class);
    assertThatThrownBy(() -> FilterParser.parse("method = " + "x".repeat(FilterParser.MAX_LENGTH)))
        .hasMessage("line 1:1: a filter may be at most 16384 characters long");
    Filter chain = FilterParser.parse(String.join(" OR ", java.util.Collections.nCopies(1000, "method = GET")));
    assertThat(((Filter.Or) chain).parts()).hasSize(1000);
  }

  @Test
  void patternsWithinGosRepeatLimitsParse() {
    for (String pattern : new String[] {"(a{10}){100}", "(a{2}){400}b", "[0-9]{1,3}(\\.[0-9]{1,3}){3}", "\\x{41}{3}",
        "\\Q{1000}\\E{2}", "[{}]{5}", "a{,5}", "(?i)(foo|bar){1,20}"}) {
      assertThat(FilterParser.parse("origin @rx '" + pattern + "'")).as(pattern).isInstanceOf(Condition.class);
    }
    assertThatThrownBy(() -> FilterParser.parse("origin @rx '" + "[a-z]{1000}".repeat(101) + "'"))
        .hasMessage("line 1:12: invalid regular expression: the pattern is too large (repetitions make it over "
            + "100000 instructions)");
  }
}
