package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.FilterParser;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventValidator;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.modsecurity.EntryParser;
import io.auditlog.modsecurity.EventMapper;
import io.auditlog.modsecurity.Limits;
import io.auditlog.modsecurity.MappingOptions;
import io.auditlog.modsecurity.Samples;
import io.auditlog.modsecurity.Source;
import io.auditlog.store.CompiledFilter;
import io.auditlog.store.InfluxqlCompiler;
import io.auditlog.store.LineProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ModSecurity filter examples (modsecurity-intake §5) on the events of samples S1–S4 as sensor edge-01 sends
 * them: each filter must match, or must not match, its sample both through InfluxDB (the console commands of a real
 * query-service) and in the in-memory evaluator, and the InfluxQL pre-selection never changes a result.
 */
class ModsecFilterIT {

  private static final String TENANT = "msec" + UUID.randomUUID().toString().substring(0, 8);
  private static final Instant NOW = Instant.now();
  private static final Map<String, StampedEvent> EVENTS = new LinkedHashMap<>();
  private static TestQueryService service;

  @BeforeAll
  static void store() throws Exception {
    EventValidator validator = new EventValidator();
    int i = 0;
    for (String name : List.of("S1", "S2", "S3", "S4")) {
      JsonNode body = EventMapper.toEvent(EntryParser.parse(entry(name).getBytes(StandardCharsets.UTF_8),
              Limits.DEFAULT, summary(name)), new Source("edge-01", "edge-01", "staging", "modsecurity"),
          MappingOptions.DEFAULT);
      AuditEvent event = validator.validate(body).get(0);
      long millis = NOW.toEpochMilli() - 1000L * i++;
      EVENTS.put(name, new StampedEvent(TENANT, RecordStamper.uuid7(millis, TENANT + "#" + name).toString(),
          RecordStamper.uuid7(millis, TENANT + "/" + name).toString(), millis * 1_000_000L, 1, event));
    }
    List<String> lines = EVENTS.values().stream().map(LineProtocol::encode).toList();
    assertThat(TestQueryService.provisionedWriter(TENANT).write(InfluxNames.database(TENANT), lines)).isEmpty();
    service = new TestQueryService();
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "S1 | REQUEST_METHOD = POST AND RESPONSE_STATUS = 403                   | true",
      "S1 | RULE_ID = 942100 AND REQUEST_URI @endsWith .php                  | true",
      "S1 | ARGS:password @contains \"1'='1\"                                 | true",
      "S1 | REMOTE_ADDR @ipMatch 198.51.100.0/24                             | false",
      "S2 | REQUEST_HEADERS:User-Agent @rx \"(?i).*nikto.*\"                 | true",
      "S2 | RULE_ID = 920350 AND SEVERITY = critical                         | true",
      "S2 | anomaly_score >= 8 AND event.type = waf.detected                 | true",
      "S2 | RULE_ID != 913100                                                | false",
      "S3 | REMOTE_ADDR @ipMatch 2001:db8::/32                               | true",
      "S3 | RULE_TAG @beginsWith attack-x AND SEVERITY = 0                   | true",
      "S3 | QUERY_STRING @contains %3Cscript                                 | true",
      "S3 | REQUEST_HEADERS:User-Agent @pm 'Nikto sqlmap'                    | false",
      "S4 | RESPONSE_STATUS >= 500 AND SEVERITY = 255                        | true",
      "S4 | &RULE_ID = 0 AND REQUEST_HEADERS:content-type = application/json | true",
      "S4 | UNIQUE_ID = 174177468935.112740                                  | true",
      "S4 | RULE_ID @rx '.*'                                                 | false"})
  void theExamplesHoldThroughInfluxDbAndInMemory(String sample, String filter, boolean matches) throws Exception {
    StampedEvent event = EVENTS.get(sample);
    assertThat(new FilterEvaluator(NOW).matches(FilterParser.parse(filter), new ModelEventValues(event)))
        .as("in memory: %s on %s", filter, sample).isEqualTo(matches);
    assertThat(service.get("/api/events/count?filter=" + encode("(" + filter + ") AND id = " + event.id()), TENANT)
        .body()).as("through InfluxDB: %s on %s", filter, sample).isEqualTo(matches ? "1\n" : "0\n");
    assertSameSelection(filter);
  }

  @Test
  void moreVariablesAgreeEverywhere() throws Exception {
    for (String filter : List.of("SENSOR_NAME = edge-01 AND RULE_ID >= 942000", "SEVERITY <= 2", "SEVERITY > 4",
        "HIGHEST_SEVERITY = 0", "LOWEST_SEVERITY = 4", "REQUEST_COOKIES:phpsessid @beginsWith 4f2k",
        "REQUEST_COOKIES_NAMES = PHPSESSID", "ARGS_NAMES = username", "ARGS_POST:username = admin",
        "ARGS_GET:q @contains <script>", "SERVER_PORT = 443", "REMOTE_PORT > 50000", "SERVER_NAME = 192.0.2.20",
        "RESPONSE_HEADERS:Server = nginx", "WEBAPPID = blog", "RULE_MSG @contains libinjection",
        "MESSAGE @beginsWith 'detected SQLi'", "SENSOR_DATE < '2025-03-12 10:16:00'", "&REQUEST_HEADERS > 5",
        "REQUEST_PROTOCOL = HTTP/1.1", "REMOTE_HOST = 203.0.113.9", "NOT RULE_TAG = OWASP_CRS",
        "UNIQUE_ID = Z9FSwn8AAQEAAB4rBgQAAAAA OR TX_ID = " + EVENTS.get("S3").id())) {
      assertSameSelection(filter);
    }
    assertThat(selected("SEVERITY <= 2")).containsExactlyInAnyOrder("S1", "S2", "S3");
    assertThat(selected("SENSOR_NAME = edge-01 AND RULE_ID >= 942000")).containsExactlyInAnyOrder("S1", "S2", "S3");
    assertThat(selected("UNIQUE_ID = Z9FSwn8AAQEAAB4rBgQAAAAA OR TX_ID = " + EVENTS.get("S3").id()))
        .containsExactlyInAnyOrder("S1", "S3");
    assertThat(selected("&REQUEST_HEADERS > 5")).containsExactly("S1");
  }

  @Test
  void getFindsAnEventByItsUniqueIdAndRebuildsTheEntry() throws Exception {
    HttpResponse<String> byUniqueId = service.get("/api/events/get?id=Z9FS5X8AAQEAAB4rBgUAAAAB", TENANT);
    assertThat(byUniqueId.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(byUniqueId.body()).path("id").asText()).isEqualTo(EVENTS.get("S2").id());
    HttpResponse<String> raw = service.get("/api/events/get?id=" + encode("174177466171.829364") + "&format=raw",
        TENANT);
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.body()).isEqualTo(entry("S3"));
    assertThat(service.get("/api/events/get?id=" + EVENTS.get("S1").id() + "&format=raw", TENANT).body())
        .isEqualTo(entry("S1"));
    assertThat(service.get("/api/events/get?id=Z9FS5X8AAQEAAB4rBgUAAAAB", TENANT, "app = other").statusCode())
        .isEqualTo(404);
    assertThat(service.get("/api/events/get?id=nothing-like-it", TENANT).statusCode()).isEqualTo(404);
    assertThat(service.get("/api/events/get?id=Z9FS5X8AAQEAAB4rBgUAAAAB&format=xml", TENANT).statusCode())
        .isEqualTo(422);
  }

  /** Through the console's list, in InfluxDB with the compiled pre-selection, and in memory: the same events. */
  private static void assertSameSelection(String text) throws Exception {
    Filter filter = FilterParser.parse(text);
    FilterEvaluator evaluator = new FilterEvaluator(NOW);
    List<StampedEvent> events = new ArrayList<>(EVENTS.values());
    Set<String> expected = FilterDifferentialIT.selectedInMemory(events, filter, evaluator);
    CompiledFilter compiled = new InfluxqlCompiler(NOW).compile(filter);
    assertThat(FilterDifferentialIT.selectedInInflux(TENANT, filter, compiled, evaluator))
        .as("pre-selected by %s", compiled.where()).isEqualTo(expected);
    String listed = service.get("/api/events/list?limit=-1&filter=" + encode(text), TENANT).body();
    assertThat(Set.of(listed.isEmpty() ? new String[0] : listed.split("\n"))).as("listed for %s", text)
        .isEqualTo(expected);
  }

  private static List<String> selected(String filter) {
    FilterEvaluator evaluator = new FilterEvaluator(NOW);
    return EVENTS.entrySet().stream()
        .filter(e -> evaluator.matches(FilterParser.parse(filter), new ModelEventValues(e.getValue())))
        .map(Map.Entry::getKey).toList();
  }

  /** The concurrent file of a sample (the serial form without its final blank line), S4 without its line end. */
  static String entry(String name) {
    return Samples.concurrent(name);
  }

  /** The X-ForensicLog-Summary mlogc sends (S1 and S2 have one), with its trailing space. */
  private static Optional<String> summary(String name) {
    return List.of("S1", "S2").contains(name) ? Optional.of(Samples.summary(name) + " ") : Optional.empty();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
