package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.FilterParser;
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
import io.auditlog.store.InfluxqlCompiler;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.read.ReadBudget;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code get} by a ModSecurity unique id and {@code format=raw} on entries a tenant chose byte for byte: cut entries,
 * unique ids shared by several events or by two tenants, unique ids full of quotes, backslashes and pattern syntax,
 * and bodies that make a pattern expensive.
 */
class ModsecGetIT {

  private static final String TENANT = "mget" + UUID.randomUUID().toString().substring(0, 8);
  private static final String OTHER = "mgeo" + UUID.randomUUID().toString().substring(0, 8);
  private static final Instant NOW = Instant.now();
  private static final String SHARED = "Z9FS5X8AAQEAAB4rBgUAAAAB";
  private static final String CUT = "cut-" + UUID.randomUUID();
  private static final String OTHERS_ONLY = "others-" + UUID.randomUUID();
  /** Unique ids that JSON escapes, that InfluxQL would end a literal on, and pattern syntax. */
  private static final List<String> HOSTILE_IDS = List.of("a\"b", "a\\b", "a/b", "a\\/b\\", "x'; DROP", "\tx",
      "\u00e9t\u00e9", "a\u0001b", ".*", "a|b", "(x)", "^x$", "[", "</script>", "\\u0022", "u".repeat(1_000));
  private static final List<StampedEvent> EVENTS = new ArrayList<>();
  private static final List<StampedEvent> BULKY = new ArrayList<>();
  private static final String BULKY_TENANT = "mbig" + UUID.randomUUID().toString().substring(0, 8);
  private static TestQueryService service;
  private static TestQueryService budgeted;
  private static int sequence;

  @BeforeAll
  static void store() throws Exception {
    String s1 = Samples.concurrent("S1");
    EVENTS.add(stamp(TENANT, event(s1.replace("<html><head>", "e".repeat(100_000) + "<html><head>"), "edge-01",
        CUT)));
    EVENTS.add(stamp(TENANT, event(Samples.concurrent("S2"), "edge-01", SHARED)));
    EVENTS.add(stamp(TENANT, event(Samples.concurrent("S2"), "edge-02", SHARED)));
    for (String id : HOSTILE_IDS) {
      EVENTS.add(stamp(TENANT, event(Samples.concurrent("S3"), "edge-01", id)));
    }
    write(TENANT, EVENTS);
    write(OTHER, List.of(stamp(OTHER, event(Samples.concurrent("S2"), "edge-03", SHARED)),
        stamp(OTHER, event(Samples.concurrent("S2"), "edge-03", OTHERS_ONLY))));
    String body = "u=" + "a".repeat(50_000) + "&username=admin";
    for (int i = 0; i < 12; i++) {
      BULKY.add(stamp(BULKY_TENANT, event(s1.replace("username=admin", body), "edge-01", "bulky-" + i)));
    }
    write(BULKY_TENANT, BULKY);
    service = new TestQueryService();
    budgeted = new TestQueryService(Duration.ZERO, new ReadBudget(Duration.ofSeconds(1), Duration.ofSeconds(1),
        1_000_000, 100));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    budgeted.close();
  }

  @Test
  void rawIsA422ForAnEntryWhoseSectionsWereCut() throws Exception {
    HttpResponse<String> json = get("/api/events/get?id=" + CUT, TENANT, null);
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(json.body()).at("/event/detail/modsecurity/truncated/E").asInt())
        .isGreaterThan(100_000);
    HttpResponse<String> raw = get("/api/events/get?id=" + CUT + "&format=raw", TENANT, null);
    assertThat(raw.statusCode()).isEqualTo(422);
    assertThat(Json.MAPPER.readTree(raw.body()).at("/detail/type").asText()).isEqualTo("raw_unavailable");
    assertThat(get("/api/events/get?id=" + EVENTS.get(0).id() + "&format=raw", TENANT, null).statusCode())
        .isEqualTo(422);
  }

  @Test
  void aSharedUniqueIdGivesTheNewestEventInTheCallersView() throws Exception {
    StampedEvent older = EVENTS.get(1);
    StampedEvent newer = EVENTS.get(2);
    assertThat(older.timestampNanos()).isLessThan(newer.timestampNanos());
    assertThat(idOf(get("/api/events/get?id=" + SHARED, TENANT, null))).isEqualTo(newer.id());
    assertThat(idOf(get("/api/events/get?id=" + SHARED, TENANT, "app = edge-01"))).isEqualTo(older.id());
    assertThat(idOf(get("/api/events/get?id=" + SHARED, TENANT, "NOT app = edge-02"))).isEqualTo(older.id());
    assertThat(get("/api/events/get?id=" + SHARED, TENANT, "app = edge-03").statusCode()).isEqualTo(404);
  }

  @Test
  void aUniqueIdNeverReachesAnotherTenantsEvent() throws Exception {
    String others = idOf(get("/api/events/get?id=" + SHARED, OTHER, null));
    assertThat(others).isNotIn(EVENTS.stream().map(StampedEvent::id).toList());
    assertThat(idOf(get("/api/events/get?id=" + SHARED, TENANT, null))).isNotEqualTo(others).isEqualTo(EVENTS.get(2)
        .id());
    assertThat(get("/api/events/get?id=" + OTHERS_ONLY, TENANT, null).statusCode()).isEqualTo(404);
    assertThat(get("/api/events/get?id=" + others, TENANT, null).statusCode()).isEqualTo(404);
    assertThat(get("/api/events/get?id=" + CUT, OTHER, null).statusCode()).isEqualTo(404);
  }

  @Test
  void hostileUniqueIdsAreFoundExactlyAndPreSelectedWithoutChangingTheResult() throws Exception {
    FilterEvaluator evaluator = new FilterEvaluator(NOW);
    for (int i = 0; i < HOSTILE_IDS.size(); i++) {
      String id = HOSTILE_IDS.get(i);
      StampedEvent expected = EVENTS.get(3 + i);
      assertThat(idOf(get("/api/events/get?id=" + encode(id), TENANT, null))).as(id).isEqualTo(expected.id());
      Filter filter = FilterParser.parse("UNIQUE_ID = '" + id.replace("\\", "\\\\").replace("'", "\\'") + "'");
      Set<String> inMemory = FilterDifferentialIT.selectedInMemory(EVENTS, filter, evaluator);
      assertThat(inMemory).as(id).containsExactly(expected.id());
      assertThat(FilterDifferentialIT.selectedInInflux(TENANT, filter, new InfluxqlCompiler(NOW).compile(filter),
          evaluator)).as("pre-selected for %s", id).isEqualTo(inMemory);
    }
  }

  @Test
  void oddIdsAreNotFoundAndNeverAnError() throws Exception {
    for (String id : List.of("x".repeat(3_000), "a\u0000b", "a.*", "^.*$", "a\"", "(", "\\", "%", " ",
        "01900000-0000-7000-8000-000000000000", "u".repeat(999))) {
      assertThat(get("/api/events/get?id=" + encode(id), TENANT, null).statusCode()).as(id).isEqualTo(404);
      assertThat(get("/api/events/get?id=" + encode(id) + "&format=raw", TENANT, null).statusCode()).as(id)
          .isEqualTo(404);
    }
  }

  @Test
  void patternsOverLargeBodiesStopAtTheReadBudget() throws Exception {
    String filter = "REQUEST_BODY @rx '(?s)(.*a.{999}b|.*a.{998}c|.*a.{997}d|.*a.{996}e)'";
    long start = System.nanoTime();
    HttpResponse<String> count = budgeted.get("/api/events/count?filter=" + encode(filter), BULKY_TENANT);
    assertThat(count.statusCode()).as(count.body()).isEqualTo(503);
    assertThat(Json.MAPPER.readTree(count.body()).at("/detail/type").asText()).isEqualTo("query_timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    HttpResponse<String> viewed = budgeted.get("/api/events/get?id=" + BULKY.get(0).id(), BULKY_TENANT, filter);
    assertThat(viewed.statusCode()).as(viewed.body()).isEqualTo(503);
    assertThat(budgeted.get("/api/events/count?filter=" + encode("&ARGS > 1 AND REQUEST_BODY @contains x"),
        BULKY_TENANT).body()).isEqualTo("0\n");
  }

  private static HttpResponse<String> get(String path, String tenant, String view) throws Exception {
    return service.get(path, tenant, view);
  }

  private static String idOf(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body()).path("id").asText();
  }

  /** The mapped event of an entry from this sensor, its unique id replaced (the receiver takes it from A). */
  private static JsonNode event(String entry, String sensor, String uniqueId) throws Exception {
    JsonNode body = EventMapper.toEvent(EntryParser.parse(entry.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT,
        Optional.empty()), new Source(sensor, sensor, "staging", "modsecurity"), MappingOptions.DEFAULT);
    for (JsonNode item : body.path("metadata")) {
      if (item.path("name").asText().equals("unique_id")) {
        ((ObjectNode) item).put("value", uniqueId);
      }
    }
    return body;
  }

  /** Each event a millisecond after the one before, so the order of storing is the order of time. */
  private static StampedEvent stamp(String tenant, JsonNode body) throws Exception {
    long millis = NOW.toEpochMilli() - 60_000 + sequence++;
    return new StampedEvent(tenant, RecordStamper.uuid7(millis, tenant + "#" + sequence).toString(),
        RecordStamper.uuid7(millis, tenant + "/" + sequence).toString(), millis * 1_000_000L, 1,
        new EventValidator().validate(body).get(0));
  }

  private static void write(String tenant, List<StampedEvent> events) throws Exception {
    assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant),
        events.stream().map(LineProtocol::encode).toList())).isEmpty();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
