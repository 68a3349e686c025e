package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The language's meaning, on one event. */
class FilterEvaluatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final long TIME = StoreTime.nanos(Instant.parse("2025-12-31T23:50:00Z"));
  private static final Map<String, Object> EVENT = new HashMap<>(Map.of(
      "method", "POST", "status", "404", "level", "info", "origin", "10.1.2.3", "event_name", "User Login",
      "cpu_usage", 0.5, "time", TIME, "category", "auth"));

  static {
    EVENT.put("team", "core");
  }

  private static boolean matches(String filter) {
    return new FilterEvaluator(NOW).matches(FilterParser.parse(filter), v -> EVENT.get(v.column()));
  }

  /** Values of list variables, as a stored ModSecurity event gives them. */
  private static final Map<String, List<String>> LISTS = Map.of(
      "RULE_ID", List.of("942100", "949110"), "SERVER_PORT", List.of("443"), "RULE_TAG", List.of("attack-sqli",
          "OWASP_CRS"), "REQUEST_HEADERS:User-Agent", List.of("Nikto/2.1.6"), "ARGS", List.of(),
      "UNIQUE_ID", List.of("e1", "174177468935.112740"));

  private static boolean matchesLists(String filter) {
    return new FilterEvaluator(NOW).matches(FilterParser.parse(filter), v -> v.kind() == Variable.Kind.MODSEC
        || v.kind() == Variable.Kind.IDS ? LISTS.get(v.member().map(m -> v.column() + ":" + m)
        .orElse(v.kind() == Variable.Kind.IDS ? "UNIQUE_ID" : v.column())) : EVENT.get(v.column()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "RULE_ID = 942100                                | true",
      "RULE_ID = 942100.0                              | true",
      "RULE_ID = 942101                                | false",
      "RULE_ID != 942100                               | false",
      "RULE_ID != 1                                    | true",
      "RULE_ID >= 949000                               | true",
      "RULE_ID > 949110                                | false",
      "RULE_ID < 942100                                | false",
      "RULE_ID @rx '94.*'                              | true",
      "RULE_ID !@rx '9.*'                              | false",
      "SERVER_PORT = 443                               | true",
      "SERVER_PORT = 0443                              | true",
      "SERVER_PORT != 443                              | false",
      "RULE_TAG @beginsWith attack-                    | true",
      "NOT RULE_TAG @beginsWith attack-                | false",
      "REQUEST_HEADERS:User-Agent @contains Nikto      | true",
      "REQUEST_HEADERS:Referer @contains x             | false",
      "REQUEST_HEADERS:Referer !@contains x            | true",
      "ARGS @rx '.*'                                   | false",
      "ARGS !@rx '.*'                                  | true",
      "&ARGS = 0                                       | true",
      "&RULE_ID = 2                                    | true",
      "&RULE_ID > 2                                    | false",
      "&REQUEST_HEADERS:Referer = 0                    | true",
      "&method = 1                                     | true",
      "&event.description = 0                          | true",
      "UNIQUE_ID = 174177468935.112740                 | true",
      "TX_ID = e1                                      | true",
      "TX_ID = 174177468935.11274                      | false",
      "TX_ID != e1                                     | false",
      "TX_ID != e2                                     | true"})
  void listsMatchWhenAnyElementDoes(String filter, boolean expected) {
    assertThat(matchesLists(filter)).as(filter).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "info   | SEVERITY = 6     | true",
      "INFO   | SEVERITY = 6     | true",
      "info   | SEVERITY = info  | true",
      "INFO   | SEVERITY = info  | false",
      "info   | SEVERITY <= 2    | false",
      "crit   | SEVERITY <= 2    | true",
      "emerg  | SEVERITY = 0     | true",
      "err    | SEVERITY = 3     | true",
      "warn   | SEVERITY = 4     | true",
      "notice | SEVERITY > 4     | true",
      "debug  | SEVERITY = 7     | true",
      "none   | SEVERITY = 255   | true",
      "none   | SEVERITY <= 7    | false",
      "custom | SEVERITY < 300   | false",
      "custom | SEVERITY != 255  | true",
      "3      | SEVERITY = 3     | false",
      "3      | level = 3        | true",
      "alert  | level <= 2       | false"})
  void severityComparesTheLevelsNumberWithANumericLiteral(String level, String filter, boolean expected) {
    assertThat(new FilterEvaluator(NOW).matches(FilterParser.parse(filter), v -> level)).as(filter + " on " + level)
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "REQUEST_METHOD = POST AND RESPONSE_STATUS = 404 | true",
      "method = post                                   | false",
      "RESPONSE_STATUS >= 400                          | true",
      "RESPONSE_STATUS < 400                           | false",
      "level >= 400                                    | false",
      "level < j                                       | true",
      "cpu_usage > 0.25                                | true",
      "NOT cpu_usage > 0.25                            | false",
      "event.name @rx 'User.*'                         | true",
      "event.name @rx 'Login'                          | false",
      "event.name @rx '(?i)user login'                 | true",
      "event.name @pm 'Logout Login'                   | true",
      "event.name @sx 'user*'                          | true",
      "event.name @in 'admin*,*login'                  | true",
      "event.name @contains 'r L'                      | true",
      "event.name @beginsWith User                     | true",
      "event.name @endsWith Login                      | true",
      "origin @ipMatch '10.0.0.0/8,192.168.0.1'        | true",
      "origin @ipMatch 10.1.2.4                        | false",
      "resource.type = User                            | false",
      "resource.type != User                           | true",
      "login_time > 0                                  | false",
      "NOT login_time > 0                              | true",
      "metadata.team = core                            | true",
      "age < 15m                                       | true",
      "age > 15m                                       | false",
      "time >= '2025-12-31 23:00:00'                   | true",
      "category = auth AND (method = GET OR level = info) | true",
      "method = GET OR method = PUT AND level = info   | false"})
  void evaluatesEveryOperator(String filter, boolean expected) {
    assertThat(matches(filter)).as(filter).isEqualTo(expected);
  }
}
