package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.auditlog.store.read.Aggregation;
import io.auditlog.store.read.Aggregator;
import io.auditlog.filter.StoreTime;
import io.auditlog.store.read.Windows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventValidator;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.LineProtocol;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The metric endpoints' numbers against a plain computation over the same known events in a real InfluxDB. */
class MetricsIT {

  private static final String TENANT = "mx" + UUID.randomUUID().toString().substring(0, 8);
  private static final Instant T0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
  private static final List<Point> POINTS = new ArrayList<>();
  private static TestQueryService service;

  /** What the test wrote, for the expected numbers. */
  private record Point(long nanos, String env, String status, String origin, double cpu, Double loginTime) {
  }

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
    List<String> lines = new ArrayList<>();
    String[] statuses = {"success", "error", "denied"};
    for (int i = 0; i < 300; i++) {
      ObjectNode body = SampleEvents.seedJson();
      body.put("category", "m").put("status", statuses[i % 3]);
      ((ObjectNode) body.get("source_information")).put("application", "a").put("environment",
          i % 2 == 0 ? "prod" : "dev");
      ((ObjectNode) body.get("event")).put("cpu_usage", (i % 17) * 0.37);
      ((ObjectNode) body.get("actor")).put("origin", "10.0.0." + (i % 4));
      Double login = i % 3 == 0 ? (double) (i % 11) : null;
      if (login == null) {
        body.remove("metadata");
      } else {
        ((ObjectNode) body.get("metadata").get(0)).put("value", login);
      }
      AuditEvent event = new EventValidator().validate(body).get(0);
      long nanos = T0.plusSeconds(2L * i).toEpochMilli() * 1_000_000L + i;
      lines.add(LineProtocol.encode(new StampedEvent(TENANT, "id-" + i, "ev-" + i, nanos, 1, event)));
      POINTS.add(new Point(nanos, i % 2 == 0 ? "prod" : "dev", statuses[i % 3], "10.0.0." + (i % 4),
          (i % 17) * 0.37, login));
    }
    assertThat(TestQueryService.provisionedWriter(TENANT)
        .write(InfluxNames.database(TENANT), lines)).isEmpty();
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  private static JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> response = service.get(path, TENANT);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return Json.MAPPER.readTree(response.body());
  }

  private static String range(Instant start, Instant stop) {
    return "category=m&app=a&start=" + start + "&stop=" + stop;
  }

  /** Expected groups → window start → value, computed straight from the points. */
  private static Map<String, Map<Long, Double>> expected(Aggregation agg, Duration interval, Instant start,
      Instant stop, Function<Point, String> group, Function<Point, Double> value) {
    Map<String, Map<Long, List<Double>>> values = new TreeMap<>();
    for (Point p : POINTS) {
      Double v = value.apply(p);
      if (v != null && p.nanos() >= StoreTime.nanos(start) && p.nanos() < StoreTime.nanos(stop)) {
        values.computeIfAbsent(group.apply(p), g -> new TreeMap<>())
            .computeIfAbsent(Windows.alignedStart(p.nanos(), interval), w -> new ArrayList<>()).add(v);
      }
    }
    Map<String, Map<Long, Double>> result = new TreeMap<>();
    values.forEach((g, windows) -> windows.forEach((w, list) -> {
      OptionalDouble aggregated = Aggregator.apply(agg, list.stream().mapToDouble(Double::doubleValue).toArray());
      aggregated.ifPresent(a -> result.computeIfAbsent(g, k -> new TreeMap<>()).put(w, a));
    }));
    return result;
  }

  private static void assertGroups(JsonNode answer, Map<String, Map<Long, Double>> expected) {
    assertThat(answer).hasSize(expected.size());
    for (JsonNode group : answer) {
      Map<Long, Double> windows = expected.get(group.path("group_key").asText());
      assertThat(windows).as("group %s", group.path("group_key")).isNotNull();
      assertThat(group.path("data")).hasSize(windows.size());
      List<Long> starts = new ArrayList<>(windows.keySet());
      for (int i = 0; i < starts.size(); i++) {
        JsonNode window = group.path("data").get(i);
        assertThat(window.path("value").asDouble()).isCloseTo(windows.get(starts.get(i)), within(1e-9));
        assertThat(window.path("range").asText()).isEqualTo(window.path("start").asText() + " - "
            + window.path("stop").asText());
      }
    }
  }

  @Test
  void listsBuiltInAndCustomMetrics() throws Exception {
    List<String> names = new ArrayList<>();
    get("/audit/metrics", 200).forEach(n -> names.add(n.asText()));
    assertThat(names).containsExactly("total_duration", "affected_resources", "latency", "cpu_usage", "memory_usage",
        "login_time");
  }

  @ParameterizedTest
  @EnumSource(Aggregation.class)
  void everyAggregationMatchesAPlainComputation(Aggregation agg) throws Exception {
    Instant stop = T0.plus(10, ChronoUnit.MINUTES);
    JsonNode answer = get("/audit/metrics/cpu_usage?" + range(T0, stop) + "&interval=1m&agg="
        + agg.name().toLowerCase(), 200);
    assertGroups(answer, expected(agg, Duration.ofMinutes(1), T0, stop, p -> "all", Point::cpu));
    assertThat(answer.get(0).path("data")).hasSize(10);
  }

  @Test
  void groupsByATagAndByOriginWithTheSameNumbers() throws Exception {
    Instant stop = T0.plus(10, ChronoUnit.MINUTES);
    assertGroups(get("/audit/metrics/cpu_usage?" + range(T0, stop) + "&interval=5m&agg=p90&group_by=env", 200),
        expected(Aggregation.P90, Duration.ofMinutes(5), T0, stop, Point::env, Point::cpu));
    assertGroups(get("/audit/metrics/cpu_usage?" + range(T0, stop) + "&interval=5m&agg=stddev&group_by=origin",
        200), expected(Aggregation.STDDEV, Duration.ofMinutes(5), T0, stop, Point::origin, Point::cpu));
    assertGroups(get("/audit/metrics/login_time?" + range(T0, stop) + "&interval=2m&agg=sum", 200),
        expected(Aggregation.SUM, Duration.ofMinutes(2), T0, stop, p -> "all", Point::loginTime));
  }

  @Test
  void clipsTheFirstAndLastWindowToTheRange() throws Exception {
    Instant start = T0.plusSeconds(90);
    Instant stop = T0.plusSeconds(330);
    JsonNode data = get("/audit/metrics/cpu_usage?" + range(start, stop) + "&interval=1m&agg=count", 200)
        .get(0).path("data");
    assertThat(data.get(0).path("start").asText()).isEqualTo(start.toString());
    assertThat(data.get(0).path("stop").asText()).isEqualTo(T0.plusSeconds(120).toString());
    assertThat(data.get(data.size() - 1).path("stop").asText()).isEqualTo(stop.toString());
    assertGroups(get("/audit/metrics/cpu_usage?" + range(start, stop) + "&interval=1m&agg=count", 200),
        expected(Aggregation.COUNT, Duration.ofMinutes(1), start, stop, p -> "all", Point::cpu));
  }

  @Test
  void countsPerWindowByACategoricalField() throws Exception {
    Instant stop = T0.plus(4, ChronoUnit.MINUTES);
    for (String field : List.of("status", "origin")) {
      JsonNode windows = get("/audit/metrics/" + field + "/count?" + range(T0, stop) + "&interval=2m", 200);
      assertThat(windows).hasSize(2);
      for (JsonNode window : windows) {
        long from = StoreTime.nanos(Instant.parse(window.path("start").asText()));
        Map<String, Long> expected = new TreeMap<>();
        POINTS.stream().filter(p -> p.nanos() >= from && p.nanos() < from + Duration.ofMinutes(2).toNanos())
            .forEach(p -> expected.merge(field.equals("status") ? p.status() : p.origin(), 1L, Long::sum));
        Map<String, Long> actual = new TreeMap<>();
        window.path("data").fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asLong()));
        assertThat(actual).isEqualTo(expected);
      }
    }
  }

  @Test
  void answersUnknownMetricsAndBadParametersWithTheRightStatus() throws Exception {
    String selection = range(T0, T0.plus(1, ChronoUnit.HOURS));
    get("/audit/metrics/no_such_metric?" + selection, 404);
    assertThat(get("/audit/metrics/cpu_usage?" + selection + "&agg=avg", 422).path("detail").get(0).path("loc")
        .toString()).isEqualTo("[\"query\",\"agg\"]");
    get("/audit/metrics/cpu_usage?" + selection + "&group_by=description", 422);
    get("/audit/metrics/cpu_usage?" + selection + "&interval=-1m", 422);
    get("/audit/metrics/cpu_usage?category=m&app=a&start=7d&interval=1s", 422);
    assertThat(get("/audit/metrics/latency/count?" + selection, 422).path("detail").get(0).path("loc").toString())
        .isEqualTo("[\"path\",\"field\"]");
  }

  @Test
  void aCallerWithAViewLearnsNoCustomMetricNameItMayNotSee() throws Exception {
    String selection = range(T0, T0.plus(1, ChronoUnit.HOURS));
    HttpResponse<String> names = service.get("/audit/metrics", TENANT, "env = nowhere");
    assertThat(names.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(names.body()).toString()).doesNotContain("login_time");
    for (String metric : List.of("login_time", "no_such_metric")) {
      HttpResponse<String> answer = service.get("/audit/metrics/" + metric + "?" + selection, TENANT,
          "env = nowhere");
      assertThat(answer.statusCode()).as(metric).isEqualTo(200);
      assertThat(answer.body()).as(metric).isEqualTo("[]");
    }
  }

  @Test
  void anotherTenantSeesNothing() throws Exception {
    TestQueryService.provision("someone-else");
    HttpResponse<String> response = service.get("/audit/metrics/cpu_usage?" + range(T0, T0.plus(1,
        ChronoUnit.HOURS)), "someone-else");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[]");
  }
}
