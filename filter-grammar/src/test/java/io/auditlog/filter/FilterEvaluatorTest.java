package io.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The language's meaning, on one event. */
class FilterEvaluatorTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final long TIME = FilterEvaluator.nanos(Instant.parse("2025-12-31T23:50:00Z"));
  private static final Map<String, Object> EVENT = new HashMap<>(Map.of(
      "method", "POST", "status", "404", "level", "info", "origin", "10.1.2.3", "event_name", "User Login",
      "cpu_usage", 0.5, "time", TIME, "category", "auth"));

  static {
    EVENT.put("team", "core");
  }

  private static boolean matches(String filter) {
    return new FilterEvaluator(NOW).matches(FilterParser.parse(filter), v -> EVENT.get(v.column()));
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
