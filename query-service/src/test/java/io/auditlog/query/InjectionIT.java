package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.InfluxNames;
import io.auditlog.model.SampleEvents;
import io.auditlog.store.InfluxWriter;
import io.auditlog.store.LineProtocol;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile text through every parameter of every read endpoint: each answer is a 4xx or a correct (empty) 200, never
 * a 500, never the other tenant's events, and afterwards the databases and the victim's data are unchanged.
 */
class InjectionIT {

  private static final String VICTIM = "victim" + UUID.randomUUID().toString().substring(0, 8);
  private static final String ATTACKER = "attacker" + UUID.randomUUID().toString().substring(0, 8);
  private static final List<String> PAYLOADS = List.of(
      "'", "\"", "\\", "\\'", "';", "\"; DROP DATABASE " + InfluxNames.database(VICTIM) + ";--",
      "x' OR '1'='1", "event_name\" OR 1=1 --", "a\nb", "a\r\nSELECT * FROM /.*/", ".*", "/.*/", "^$|.*",
      "$start", "$t_app", "); DELETE FROM /.*/; --", "x\\' OR app =~ /.*/ --", "\u0000", "%00", "☃",
      "time > 0 OR time < 0", "'x' OR 1=1", "\\\"", "cpu_usage) FROM \"event_name\" --", "now()", "-1", "1d; DROP");
  private static final List<String> TEMPLATES = List.of(
      "/audit/log?category=$&app=app_name",
      "/audit/log?category=event_name&app=$",
      "/audit/log?category=event_name&app=app_name&env=$",
      "/audit/log?category=event_name&app=app_name&method=$",
      "/audit/log?category=event_name&app=app_name&status=$",
      "/audit/log?category=event_name&app=app_name&origin=$",
      "/audit/log?category=event_name&app=app_name&start=$",
      "/audit/log?category=event_name&app=app_name&stop=$",
      "/audit/log?category=event_name&app=app_name&page=$",
      "/audit/log?category=event_name&app=app_name&size=$",
      "/audit/log?category=event_name&app=app_name&filter=$",
      "/audit/log/$",
      "/audit/metrics/$?category=event_name&app=app_name",
      "/audit/metrics/cpu_usage?category=$&app=app_name",
      "/audit/metrics/cpu_usage?category=event_name&app=$",
      "/audit/metrics/cpu_usage?category=event_name&app=app_name&origin=$",
      "/audit/metrics/cpu_usage?category=event_name&app=app_name&interval=$",
      "/audit/metrics/cpu_usage?category=event_name&app=app_name&agg=$",
      "/audit/metrics/cpu_usage?category=event_name&app=app_name&group_by=$",
      "/audit/metrics/$/count?category=event_name&app=app_name",
      "/audit/metrics/status/count?category=event_name&app=$",
      "/audit/metrics/status/count?category=event_name&app=app_name&env=$");

  /**
   * Filters that parse and carry statement text in their literals: a literal ending in a backslash followed by one
   * holding a slash, the shape that once let a regex literal run on into the next string literal.
   */
  private static final List<String> PARSING_FILTERS = List.of(
      "origin @contains \\ AND origin = 'x/); CREATE DATABASE \"probe\" --'",
      "origin @contains \\ AND origin = 'x/) OR \"stage\" >= 0 --'",
      "event.name @beginsWith \\ AND event.name = 'a/); SELECT * INTO \"" + InfluxNames.database(ATTACKER)
          + "\"..:MEASUREMENT FROM \"" + InfluxNames.database(VICTIM) + "\"../.*/ --'",
      "event.name @endsWith '\\\\' OR event.name = '/ OR time > 0 --'",
      "event.name @pm '\\\\ /' AND origin @rx '\\\\\\\\'",
      "origin @rx '\\\\\\\\' OR origin = '/); DROP DATABASE \"" + InfluxNames.database(VICTIM) + "\" --'",
      "event.name @in 'a\\\\,b/' AND method @sx '*\\\\' AND status = '/ OR 1=1'",
      "origin @rx '(a*)*b' AND event.name @contains \"\\u0000;--\"",
      "event.description @contains 'a\nb\r\tc' OR event.description = '\u00e9\u65e5/'");
  private static final List<String> FILTER_TEMPLATES = List.of(
      "/api/events/count?filter=$",
      "/api/events/count?variable=REQUEST_METHOD&filter=$",
      "/api/events/list?limit=10&filter=$",
      "/api/events/export?filter=$",
      "/api/events/export?format=csv&filter=$",
      "/audit/log?category=event_name&app=app_name&filter=$",
      "/audit/metrics/cpu_usage?category=event_name&app=app_name&filter=$",
      "/audit/metrics/status/count?category=event_name&app=app_name&filter=$");

  private static TestQueryService service;
  private static List<String> victimIds;
  private static List<String> attackerIds;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
    var victimEvents = SampleEvents.stamped(VICTIM, 5);
    victimIds = victimEvents.stream().flatMap(e -> Stream.of(e.id(), e.eventId())).toList();
    List<String> lines = victimEvents.stream().flatMap(e -> LineProtocol.encodeWithTrail(e).stream()).toList();
    assertThat(TestQueryService.provisionedWriter(VICTIM).write(InfluxNames.database(VICTIM), lines)).isEmpty();
    InfluxWriter attacker = TestQueryService.provisionedWriter(ATTACKER);
    var attackerEvents = SampleEvents.stamped(ATTACKER, 1);
    attackerIds = attackerEvents.stream().map(e -> e.id()).toList();
    attackerEvents.stream().flatMap(e -> LineProtocol.encodeWithTrail(e).stream()).forEach(line -> {
      try {
        attacker.write(InfluxNames.database(ATTACKER), List.of(line));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  @Test
  void noParameterCanBreakOutReachAnotherTenantOrChangeAnything() throws Exception {
    String databasesBefore = influx("SHOW DATABASES", "");
    int requests = 0;
    for (String template : TEMPLATES) {
      for (String payload : PAYLOADS) {
        String encoded = URLEncoder.encode(payload, StandardCharsets.UTF_8).replace("+", "%20");
        String path = template.replace("$", template.startsWith("/audit/log/$") || template.contains("metrics/$")
            ? encoded.replace("%2F", "%252F") : encoded);
        HttpResponse<String> response = service.get(path, ATTACKER);
        requests++;
        assertThat(response.statusCode()).as("%s -> %s", path, response.body()).isNotEqualTo(500)
            .isBetween(200, 499);
        for (String victimId : victimIds) {
          assertThat(response.body()).as(path).doesNotContain(victimId);
        }
        if (response.statusCode() == 200 && path.startsWith("/audit/log")) {
          assertThat(response.body()).as(path).matches("\\[.*\\]");
        }
      }
    }
    assertThat(requests).isEqualTo(TEMPLATES.size() * PAYLOADS.size());
    assertThat(influx("SHOW DATABASES", "")).isEqualTo(databasesBefore);
    assertThat(influx("SELECT count(\"id\") FROM \"event_name\"", InfluxNames.database(VICTIM))).contains(",5]");
    assertThat(service.get("/audit/log?category=event_name&app=app_name", VICTIM).body()).contains(victimIds.get(0));
  }

  @Test
  void filtersThatParseCannotEscapeTheirLiteralsTheTenantOrTheView() throws Exception {
    String databasesBefore = influx("SHOW DATABASES", "");
    for (String template : FILTER_TEMPLATES) {
      for (String filter : PARSING_FILTERS) {
        String path = template.replace("$", URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpResponse<String> open = service.get(path, ATTACKER);
        assertThat(open.statusCode()).as("%s -> %s", filter, open.body()).isEqualTo(200);
        HttpResponse<String> viewed = service.get(path, ATTACKER, "app = nothing_visible");
        assertThat(viewed.statusCode()).as("%s -> %s", filter, viewed.body()).isEqualTo(200);
        for (HttpResponse<String> response : List.of(open, viewed)) {
          for (String victimId : victimIds) {
            assertThat(response.body()).as(path).doesNotContain(victimId);
          }
        }
        // The view hides even the attacker's own event, and counts through it are zero.
        assertThat(viewed.body()).as(path).doesNotContain(attackerIds.get(0)).doesNotContain("\"value\"")
            .doesNotContain(";1").isNotEqualTo("1\n");
      }
    }
    assertThat(influx("SHOW DATABASES", "")).isEqualTo(databasesBefore).doesNotContain("probe");
    assertThat(influx("SELECT count(\"id\") FROM \"event_name\"", InfluxNames.database(ATTACKER))).contains(",1]");
    assertThat(influx("SELECT count(\"id\") FROM \"event_name\"", InfluxNames.database(VICTIM))).contains(",5]");
  }

  @Test
  void metricsAndCountsWithOverlappingNamesStayWithinTheTenant() throws Exception {
    String selection = "category=event_name&app=app_name";
    assertThat(service.get("/audit/metrics/status/count?" + selection, ATTACKER).body()).contains("\"success\":1}")
        .doesNotContain("\"success\":5");
    assertThat(service.get("/audit/metrics/status/count?" + selection, VICTIM).body()).contains("\"success\":5}");
    assertThat(service.get("/audit/metrics/cpu_usage?" + selection + "&agg=count&interval=1d", ATTACKER).body())
        .contains("\"value\":1.0");
    assertThat(service.get("/audit/log/" + victimIds.get(1), ATTACKER).body()).isEqualTo("[]");
  }

  private static String influx(String statement, String database) throws Exception {
    return TestQueryService.HTTP.send(HttpRequest.newBuilder(URI.create(TestQueryService.SERVICES.influx().url()
        + "/query?db=" + database + "&q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
        .header("Authorization", TestQueryService.SERVICES.influx().admin().basicAuthorization()).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
