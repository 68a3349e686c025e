package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.AuditEvent.Resource;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.TagShape;
import io.auditlog.web.InternalTokens;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same events stored in each {@link TagShape}, one tenant each: every read that depends on which strings are
 * tags (log pages by a tag, trails, metric counts and aggregates grouped by a string, counts by a variable, deletes
 * by a filter) answers the same for both, and what it answers is what the events hold.
 */
class TagShapesIT {

  private static final String EIGHT = "shape8" + UUID.randomUUID().toString().substring(0, 8);
  private static final String FOUR = "shape4" + UUID.randomUUID().toString().substring(0, 8);
  private static final String[] METHODS = {"GET", "POST", "DELETE"};
  private static final String[] NAMES = {"login", "logout", "pay card"};
  private static final List<StampedEvent> EVENTS = new ArrayList<>();
  /** Requests' event ids, each shared by six events. */
  private static final List<String> REQUESTS = new ArrayList<>();
  /** A fixed range around the events, so that two answers' windows end alike. */
  private static final Instant STOP = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
  private static final String RANGE = "&start=" + STOP.minus(Duration.ofHours(6)) + "&stop=" + STOP;
  private static TestQueryService service;

  @BeforeAll
  static void store() throws Exception {
    service = new TestQueryService();
    Random random = new Random(11);
    long millis = STOP.toEpochMilli() - 120_000;
    for (int i = 0; i < 40; i++) {
      REQUESTS.add(RecordStamper.uuid7(millis - i * 20_000L, "request" + i).toString());
    }
    for (int i = 0; i < 240; i++) {
      Optional<Resource> resource = i % 3 == 0 ? Optional.empty() : Optional.of(new Resource(Optional.empty(),
          Optional.empty(), Optional.of(i % 3 == 1 ? "User" : "Doc"), Optional.empty()));
      AuditEvent event = new AuditEvent(i % 4 == 0 ? "auth" : "web", "shop", i % 2 == 0 ? "prod" : "dev",
          METHODS[random.nextInt(3)], "200", random.nextBoolean() ? "info" : "warn",
          new Action(NAMES[random.nextInt(3)], "t", 1, 1, random.nextInt(100) / 10.0, 0.5, 1, Optional.empty(),
              Optional.empty()),
          new Actor("10.0.0.1", Optional.empty()), resource, Optional.empty());
      long at = millis - (i % 40) * 20_000L - i;
      EVENTS.add(new StampedEvent(EIGHT, RecordStamper.uuid7(at, "event" + i).toString(), REQUESTS.get(i % 40),
          at * 1_000_000L + i, 1, event));
    }
    store(EIGHT, FOUR);
    assertThat(tagKeys(FOUR)).containsExactly("app", "env", "level", "status");
    assertThat(tagKeys(EIGHT)).contains("method", "event_name");
  }

  /** Stores the events in one tenant in each shape. */
  private static void store(String eightTags, String fourTags) throws Exception {
    for (TagShape shape : TagShape.values()) {
      String tenant = shape == TagShape.EIGHT_TAGS ? eightTags : fourTags;
      assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant), EVENTS.stream()
          .flatMap(e -> LineProtocol.encodeWithTrail(e, null, shape).stream()).toList())).isEmpty();
    }
  }

  /** The tag keys of the tenant's {@code web} category, as InfluxDB lists them. */
  private static List<String> tagKeys(String tenant) {
    List<String> keys = new ArrayList<>();
    for (JsonNode row : TestQueryService.SERVICES.influx().query(InfluxNames.database(tenant),
        "SHOW TAG KEYS FROM \"web\"").path("results").path(0).path("series").path(0).path("values")) {
      keys.add(row.path(0).asText());
    }
    return keys;
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  @Test
  void logPagesAndTrailsAreTheSameInBothShapes() throws Exception {
    for (String query : List.of("category=web&app=shop&size=20", "category=web&app=shop&method=GET&size=15",
        "category=web&app=shop&method=POST&size=15&page=2", "category=auth&app=shop&env=prod&size=100",
        "category=web&app=shop&size=10&filter=" + encode("event.name = 'pay card' AND resource.type != User"))) {
      String eight = ok("/audit/log?" + query + RANGE, EIGHT);
      assertThat(ok("/audit/log?" + query + RANGE, FOUR)).as(query).isEqualTo(eight);
      assertThat(eight).as(query).contains("\"id\"");
    }
    List<String> newestGets = EVENTS.stream().filter(e -> e.event().category().equals("web")
            && e.event().method().equals("GET")).sorted(Comparator.comparingLong(StampedEvent::timestampNanos)
            .reversed()).limit(15).map(StampedEvent::id).toList();
    String page = ok("/audit/log?category=web&app=shop&method=GET&size=15" + RANGE, FOUR);
    for (String id : newestGets) {
      assertThat(page).contains(id);
    }
    for (String trail : List.of(REQUESTS.get(0), REQUESTS.get(7), REQUESTS.get(39))) {
      String eight = ok("/audit/log/" + trail, EIGHT);
      assertThat(ok("/audit/log/" + trail, FOUR)).as(trail).isEqualTo(eight);
      assertThat(eight).contains(trail).contains("\"id\"");
    }
  }

  @Test
  void metricsGroupedAndCountedByAStringAreTheSameInBothShapes() throws Exception {
    for (String field : List.of("method", "event_name", "resource_type", "status", "env")) {
      String count = "/audit/metrics/" + field + "/count?category=web&app=shop&interval=1h" + RANGE;
      String eight = ok(count, EIGHT);
      assertThat(ok(count, FOUR)).as(count).isEqualTo(eight);
      String aggregate = "/audit/metrics/latency?category=web&app=shop&interval=1h&agg=mean&group_by=" + field
          + RANGE;
      // Means summed in another order may differ in the last bits.
      assertThat(rounded(ok(aggregate, FOUR))).as(aggregate).isEqualTo(rounded(ok(aggregate, EIGHT)));
    }
    long posts = EVENTS.stream().filter(e -> e.event().category().equals("web")
        && e.event().method().equals("POST")).count();
    String counted = ok("/audit/metrics/method/count?category=web&app=shop&interval=1d" + RANGE, FOUR);
    long summed = 0;
    for (JsonNode window : Json.MAPPER.readTree(counted)) {
      summed += window.path("data").path("POST").asLong();
    }
    assertThat(summed).as(counted).isEqualTo(posts);
  }

  @Test
  void countsByEveryVariableAndDeletesByAFilterAreTheSameInBothShapes() throws Exception {
    String eightTags = EIGHT + "d";
    String fourTags = FOUR + "d";
    store(eightTags, fourTags);
    for (String variable : List.of("method", "event_name", "event_type", "resource_type", "level", "category")) {
      for (String filter : List.of("", "method = GET", "env = prod AND resource.type @rx '^U'")) {
        String path = "/api/events/count?variable=" + variable + "&filter=" + encode(filter);
        assertThat(ok(path, fourTags)).as(path).isEqualTo(ok(path, eightTags));
      }
    }
    assertThat(ok("/api/events/count?variable=method", fourTags).lines().toList())
        .containsExactlyElementsOf(expectedByMethod(EVENTS));

    String delete = "/api/events/delete?limit=-1&filter=" + encode("method = POST AND category = web");
    long posts = EVENTS.stream().filter(e -> e.event().method().equals("POST")
        && e.event().category().equals("web")).count();
    for (String tenant : List.of(eightTags, fourTags)) {
      HttpResponse<String> deleted = service.send("DELETE", delete,
          new InternalTokens.Identity(tenant, Optional.empty(), true));
      assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
      assertThat(deleted.body().trim()).isEqualTo(Long.toString(posts));
    }
    List<StampedEvent> left = EVENTS.stream().filter(e -> !(e.event().method().equals("POST")
        && e.event().category().equals("web"))).toList();
    assertThat(ok("/api/events/count?variable=method", fourTags).lines().toList())
        .containsExactlyElementsOf(expectedByMethod(left));
    assertThat(ok("/api/events/count?variable=method", eightTags).lines().toList())
        .containsExactlyElementsOf(expectedByMethod(left));
    assertThat(ok("/audit/log?category=web&app=shop&method=POST" + RANGE, fourTags)).isEqualTo("[]");
  }

  /** {@code method;COUNT}, then each method, largest count first. */
  private static List<String> expectedByMethod(List<StampedEvent> events) {
    Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(e -> e.event().method(), TreeMap::new,
        Collectors.counting()));
    List<String> lines = new ArrayList<>(List.of("method;COUNT"));
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(entry -> lines.add(entry.getKey() + ";" + entry.getValue()));
    return lines;
  }

  /** The text with every decimal number rounded to 12 significant digits. */
  private static String rounded(String text) {
    return Pattern.compile("-?\\d+\\.\\d+(?:E-?\\d+)?").matcher(text)
        .replaceAll(number -> new BigDecimal(number.group()).round(new MathContext(12)).stripTrailingZeros()
            .toPlainString());
  }

  private static String ok(String path, String tenant) throws Exception {
    HttpResponse<String> response = service.get(path, tenant);
    assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
    return response.body();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
