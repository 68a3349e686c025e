package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.Variables;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.web.InternalTokens;
import io.auditlog.store.LineProtocol;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AuditConsole commands against a real InfluxDB: every answer is compared with what the filter evaluator picks
 * from the same events held in memory, inside views, and deletes are checked point by point in the database.
 */
class ConsoleIT {

  private static final Instant NOW = Instant.now();
  private static final String SEED_FILTER = "REQUEST_METHOD = POST AND RESPONSE_STATUS = 200";
  private static final String[] FILTERS = {"", SEED_FILTER, "method = GET", "origin @ipMatch 10.0.0.0/8",
      "RESPONSE_STATUS >= 400", "event.name @contains ';'", "category = web OR app = bank",
      "NOT (method = GET OR method = HEAD) AND cpu_usage > 0", "age < 30m", "TX_ID @beginsWith 0"};
  private static final String[] TRICKS = {"app = bank", "app = bank OR app = shop", "NOT app = shop",
      "(app = bank) OR method = GET", "method = GET OR NOT method = GET", "app != shop OR app = shop",
      "app @rx '.*' OR app = bank"};

  private static TestQueryService service;
  private static Tenant shared;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
    shared = Tenant.seeded(240, 1);
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  /** A tenant holding generated events across three categories, two apps, methods, statuses and origins. */
  private record Tenant(String id, List<StampedEvent> events) {

    static Tenant seeded(int count, long seed) throws Exception {
      String id = "c" + UUID.randomUUID().toString().substring(0, 8);
      Random random = new Random(seed);
      String[] categories = {"web", "auth", "billing"};
      String[] methods = {"GET", "POST", "PUT", "HEAD"};
      String[] statuses = {"200", "404", "500", "success"};
      String[] names = {"login", "logout", "pay;card", "say\"hi\""};
      String[] origins = {"10.0.0.", "192.168.1.", "2001:db8::"};
      List<StampedEvent> events = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        AuditEvent event = new AuditEvent(categories[random.nextInt(3)], random.nextInt(3) == 0 ? "bank" : "shop",
            "prod", methods[random.nextInt(4)], statuses[random.nextInt(4)], "info",
            new Action(names[random.nextInt(4)], "t", 1, 1, 0.1, random.nextInt(3) / 2.0, 1, Optional.empty(),
                Optional.empty()),
            new Actor(origins[random.nextInt(3)] + (1 + random.nextInt(9)), Optional.empty()), Optional.empty(),
            Optional.empty());
        // Minutes apart, over the last hours: ids carry each event's millisecond, as the stampers make them.
        long millis = NOW.minus(Duration.ofMinutes(i)).toEpochMilli() - random.nextInt(1000);
        String eventId = RecordStamper.uuid7(millis, id + "/" + i).toString();
        events.add(new StampedEvent(id, RecordStamper.uuid7(millis, id + "#" + i).toString(), eventId,
            millis * 1_000_000L + i, 1, event));
      }
      List<String> lines = events.stream().flatMap(e -> LineProtocol.encodeWithTrail(e).stream()).toList();
      assertThat(TestQueryService.provisionedWriter(id)
          .write(InfluxNames.database(id), lines)).isEmpty();
      return new Tenant(id, events);
    }

    /** The ids the evaluator picks for {@code (view) AND (filter)}, newest first. */
    List<String> expected(String view, String filter) {
      Filter effective = Filters.effective(Optional.ofNullable(view), filter);
      FilterEvaluator evaluator = new FilterEvaluator(Instant.now());
      return events.stream().filter(e -> evaluator.matches(effective, new ModelEventValues(e)))
          .sorted(Comparator.comparingLong(StampedEvent::timestampNanos).reversed())
          .map(StampedEvent::id).toList();
    }

    StampedEvent event(String eventId) {
      return events.stream().filter(e -> e.id().equals(eventId)).findFirst().orElseThrow();
    }

    HttpResponse<String> get(String path, String view) throws Exception {
      return service.send("GET", path, InternalTokens.Identity.reader(id, Optional.ofNullable(view)));
    }

    HttpResponse<String> delete(String method, String path, String view) throws Exception {
      return service.send(method, path, new InternalTokens.Identity(id, Optional.ofNullable(view), true));
    }

    /** The ids stored in InfluxDB, read directly. */
    Set<String> storedIds() throws Exception {
      return new HashSet<>(TestQueryService.influxColumn(id, "SELECT \"id\" FROM /.*/ WHERE \"id\" != ''"));
    }

    /** The event ids the trail index still holds. */
    List<String> trailEntries() throws Exception {
      return TestQueryService.influxColumn(id,
          "SELECT \"event_id\" FROM \"audit trail\" WHERE \"event_id\" != ''");
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static List<String> lines(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(ConsoleRoutes.TEXT);
    return response.body().lines().toList();
  }

  @Test
  void countsWhatTheEvaluatorPicks() throws Exception {
    for (String filter : FILTERS) {
      assertThat(lines(shared.get("/api/events/count?filter=" + encode(filter), null)))
          .as("count of %s", filter).containsExactly(Integer.toString(shared.expected(null, filter).size()));
    }
    assertThat(lines(shared.get("/api/events/count", null))).containsExactly("240");
  }

  @Test
  void countsByVariableAsSortedCsv() throws Exception {
    String[] variables = {"REQUEST_METHOD", "category", "origin", "event.name", "RESPONSE_STATUS", "cpu_usage"};
    for (String variable : variables) {
      for (String filter : new String[] {"", "origin @ipMatch 10.0.0.0/8", "method = GET"}) {
        List<String> answer = lines(shared.get("/api/events/count?variable=" + encode(variable) + "&filter="
            + encode(filter), null));
        assertThat(answer).as("%s by %s", filter, variable).isEqualTo(expectedTable(variable, filter));
      }
    }
  }

  private static List<String> expectedTable(String variable, String filter) {
    Map<String, Long> counts = new TreeMap<>();
    io.auditlog.filter.Variable resolved = Variables.resolve(variable).orElseThrow();
    for (String id : shared.expected(null, filter)) {
      Object value = new ModelEventValues(shared.event(id)).value(resolved);
      String text = value instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
          : String.valueOf(value);
      counts.merge(text, 1L, Long::sum);
    }
    List<String> table = new ArrayList<>(List.of(variable + ";COUNT"));
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> table.add(CountTable.quoted(e.getKey()) + ";" + e.getValue()));
    return table;
  }

  @Test
  void quotesCsvValuesThatNeedIt() {
    assertThat(CountTable.csv("event.name", List.of(Map.entry("pay;card", 3L), Map.entry("say\"hi\"", 2L),
        Map.entry("two\nlines", 1L), Map.entry("plain", 1L))))
        .isEqualTo("event.name;COUNT\n\"pay;card\";3\n\"say\"\"hi\"\"\";2\n\"two\nlines\";1\nplain;1\n");
  }

  @Test
  void listsIdsNewestFirstWithTheDefaultLimitOfTen() throws Exception {
    for (String filter : FILTERS) {
      List<String> expected = shared.expected(null, filter);
      assertThat(lines(shared.get("/api/events/list?filter=" + encode(filter), null))).as(filter)
          .isEqualTo(expected.subList(0, Math.min(10, expected.size())));
      assertThat(lines(shared.get("/api/events/list?limit=-1&filter=" + encode(filter), null))).as(filter)
          .isEqualTo(expected);
      assertThat(lines(shared.get("/api/events/list?limit=3&filter=" + encode(filter), null))).as(filter)
          .isEqualTo(expected.subList(0, Math.min(3, expected.size())));
    }
  }

  @Test
  void getsOneEventByBareIdOrIdParameter() throws Exception {
    StampedEvent wanted = shared.events().get(17);
    HttpResponse<String> bare = shared.get("/api/events/get?" + wanted.id(), null);
    assertThat(bare.statusCode()).isEqualTo(200);
    assertThat(bare.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("application/json"));
    JsonNode event = Json.MAPPER.readTree(bare.body());
    assertThat(event.path("id").asText()).isEqualTo(wanted.id());
    assertThat(event.path("category").asText()).isEqualTo(wanted.event().category());
    assertThat(event.path("actor").path("origin").asText()).isEqualTo(wanted.event().actor().origin());
    assertThat(shared.get("/api/events/get?id=" + wanted.id(), null).body()).isEqualTo(bare.body());
    assertThat(shared.get("/api/events/get?" + RecordStamper.uuid7(NOW.toEpochMilli(), "none"), null)
        .statusCode()).isEqualTo(404);
    assertThat(shared.get("/api/events/get?not-an-id", null).statusCode()).isEqualTo(404);
    assertThat(shared.get("/api/events/get", null).statusCode()).isEqualTo(422);
  }

  @Test
  void aViewConfinesCountListAndGetWhateverTheFilter() throws Exception {
    String view = "app = shop";
    for (String trick : TRICKS) {
      List<String> expected = shared.expected(view, trick);
      assertThat(expected).allMatch(id -> shared.event(id).event().application().equals("shop"));
      assertThat(lines(shared.get("/api/events/count?filter=" + encode(trick), view))).as(trick)
          .containsExactly(Integer.toString(expected.size()));
      assertThat(lines(shared.get("/api/events/list?limit=-1&filter=" + encode(trick), view))).as(trick)
          .isEqualTo(expected);
      assertThat(lines(shared.get("/api/events/count?variable=app&filter=" + encode(trick), view))).as(trick)
          .allMatch(line -> line.equals("app;COUNT") || line.startsWith("shop;"));
    }
    StampedEvent bank = shared.events().stream().filter(e -> e.event().application().equals("bank")).findFirst()
        .orElseThrow();
    assertThat(shared.get("/api/events/get?" + bank.id(), view).statusCode()).isEqualTo(404);
    assertThat(shared.get("/api/events/get?" + bank.id(), null).statusCode()).isEqualTo(200);
    assertThat(shared.get("/api/events/count?filter=" + encode("app = shop) OR (app = bank"), view).statusCode())
        .isEqualTo(400);
  }

  @Test
  void deleteRemovesTheNewestMatchByDefaultThenAllWithMinusOneInsideTheView() throws Exception {
    Tenant tenant = Tenant.seeded(200, 2);
    String view = "app = shop";
    String filter = "method = GET";
    List<String> matching = tenant.expected(view, filter);
    assertThat(matching.size()).isGreaterThan(10);

    assertThat(lines(tenant.delete("GET", "/api/events/delete?filter=" + encode(filter), view)))
        .containsExactly("1");
    assertThat(tenant.storedIds()).doesNotContain(matching.get(0)).contains(matching.get(1)).hasSize(199);
    // A filter near the language's 16,384 characters, as the gateway forwards a form: in the request line.
    String longFilter = filter + " OR app = 'never ñ'".repeat(800);
    assertThat(longFilter.length()).isGreaterThan(15_000).isLessThan(16_384);
    assertThat(lines(tenant.delete("POST", "/api/events/delete?filter=" + encode(longFilter), view)))
        .containsExactly("1");

    assertThat(lines(tenant.delete("POST", "/api/events/delete?limit=5&filter=" + encode(filter), view)))
        .containsExactly("5");
    assertThat(lines(tenant.delete("DELETE", "/api/events/delete?limit=-1&filter=" + encode(filter), view)))
        .containsExactly(Integer.toString(matching.size() - 7));

    Set<String> remaining = new HashSet<>(tenant.events().stream().map(StampedEvent::id).toList());
    matching.forEach(remaining::remove);
    assertThat(tenant.storedIds()).isEqualTo(remaining);
    Set<String> remainingTrails = tenant.events().stream().filter(e -> remaining.contains(e.id()))
        .map(StampedEvent::eventId).collect(Collectors.toSet());
    assertThat(tenant.trailEntries()).hasSize(remaining.size()).containsExactlyInAnyOrderElementsOf(remainingTrails);
    StampedEvent deleted = tenant.event(matching.get(3));
    assertThat(tenant.get("/audit/log/" + deleted.eventId(), null).body()).isEqualTo("[]");
    assertThat(lines(tenant.get("/api/events/count?filter=" + encode(filter), null)))
        .containsExactly(Integer.toString(tenant.expected(null, filter).size() - matching.size()));
  }

  @Test
  void deletesOfInterleavedEventsLeaveExactlyTheOthersWithAndWithoutRanges() throws Exception {
    String filter = "origin @ipMatch 10.0.0.0/8 OR cpu_usage = 1";
    for (Duration settle : new Duration[] {Duration.ZERO, Duration.ofDays(1)}) {
      Tenant tenant = Tenant.seeded(150, 3);
      try (TestQueryService deleting = new TestQueryService(settle)) {
        List<String> matching = tenant.expected(null, filter);
        HttpResponse<String> answer = deleting.send("GET", "/api/events/delete?limit=-1&filter=" + encode(filter),
            new InternalTokens.Identity(tenant.id(), Optional.empty(), true));
        assertThat(lines(answer)).containsExactly(Integer.toString(matching.size()));
        Set<String> remaining = new HashSet<>(tenant.events().stream().map(StampedEvent::id).toList());
        matching.forEach(remaining::remove);
        assertThat(tenant.storedIds()).as("settle %s", settle).isEqualTo(remaining);
        assertThat(tenant.trailEntries()).hasSize(remaining.size());
      }
    }
  }

  @Test
  void deletingNeedsThePermission() throws Exception {
    HttpResponse<String> refused = shared.get("/api/events/delete?filter=" + encode("method = GET"), null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(Json.MAPPER.readTree(refused.body()).path("detail").path("type").asText()).isEqualTo("forbidden");
    assertThat(shared.storedIds()).hasSize(240);
  }

  @Test
  void badParametersAreClear4xx() throws Exception {
    HttpResponse<String> syntax = shared.get("/api/events/count?filter=" + encode("method ="), null);
    assertThat(syntax.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(syntax.body()).path("detail").path("msg").asText())
        .isEqualTo("line 1:9: expected a value after '='");
    for (String path : new String[] {"/api/events/list?limit=ten", "/api/events/list?limit=-2",
        "/api/events/count?variable=" + encode("no such"), "/api/events/count?variable=age"}) {
      HttpResponse<String> response = shared.get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(422);
      assertThat(Json.MAPPER.readTree(response.body()).path("detail").path(0).path("loc").path(0).asText())
          .isEqualTo("query");
    }
    assertThat(shared.get("/api/events/count", null).statusCode()).isEqualTo(200);
  }

  @Test
  void anEmptyTenantCountsZeroAndListsNothing() throws Exception {
    Tenant empty = new Tenant("e" + UUID.randomUUID().toString().substring(0, 8), List.of());
    TestQueryService.provision(empty.id());
    assertThat(lines(empty.get("/api/events/count", null))).containsExactly("0");
    assertThat(lines(empty.get("/api/events/count?variable=method", null))).containsExactly("method;COUNT");
    assertThat(lines(empty.get("/api/events/list", null))).isEmpty();
    assertThat(lines(empty.delete("GET", "/api/events/delete?limit=-1", null))).containsExactly("0");
  }
}
