package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventStamper;
import io.auditlog.model.EventValidator;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.LineProtocol;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first page of an unfiltered log query is read ids first from the trail index; whatever path answers, the page
 * is exactly the newest events of the category and tags asked for — also when the index's newest points hold too
 * few of them, when an index point's event is missing, and when older events have no index points.
 */
class FirstPageIT {

  private static final String TENANT = "fp" + UUID.randomUUID().toString().substring(0, 8);
  private static final String[] CATEGORIES = {"c1", "c2"};
  private static final String[] APPS = {"a", "b"};
  private static final String[] ENVS = {"prod", "dev", "test"};
  private static final String[] METHODS = {"GET", "POST", "PUT"};
  private static final List<StampedEvent> EVENTS = new ArrayList<>();
  private static final EventStamper STAMPER = new EventStamper();
  private static TestQueryService service;

  @BeforeAll
  static void store() throws Exception {
    service = new TestQueryService();
    Random random = new Random(7);
    // The rare category first (oldest): more than the index points read for a page follow it.
    add(3, "rare", "a", "prod", "GET");
    for (int i = 0; i < 2_100; i++) {
      add(1, pick(random, CATEGORIES), pick(random, APPS), pick(random, ENVS), pick(random, METHODS));
    }
    List<String> lines = new ArrayList<>();
    EVENTS.forEach(event -> lines.addAll(LineProtocol.encodeWithTrail(event)));
    assertThat(TestQueryService.provisionedWriter(TENANT).write(InfluxNames.database(TENANT), lines)).isEmpty();
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  private static void add(int count, String category, String app, String env, String method) throws Exception {
    ObjectNode json = SampleEvents.seedJson().put("category", category).put("method", method);
    ((ObjectNode) json.get("source_information")).put("application", app).put("environment", env);
    AuditEvent event = new EventValidator().validate(json).get(0);
    for (int i = 0; i < count; i++) {
      EVENTS.addAll(STAMPER.stamp(TENANT, List.of(event)));
    }
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  @Test
  void everyFirstPageIsTheNewestEventsOfItsCategoryAndTags() throws Exception {
    for (String category : CATEGORIES) {
      for (String app : APPS) {
        for (int size : new int[] {1, 7, 50, 500}) {
          assertPage("category=" + category + "&app=" + app + "&size=" + size, size,
              e -> e.event().category().equals(category) && e.event().application().equals(app));
          assertPage("category=" + category + "&app=" + app + "&env=dev&method=PUT&size=" + size, size,
              e -> e.event().category().equals(category) && e.event().application().equals(app)
                  && e.event().environment().equals("dev") && e.event().method().equals("PUT"));
        }
      }
    }
  }

  @Test
  void aCategoryTooRareForTheIndexPointsReadIsStillFound() throws Exception {
    assertPage("category=rare&app=a&size=50", 50, e -> e.event().category().equals("rare"));
  }

  @Test
  void anIndexPointWithoutItsEventFallsBackToThePlainRead() throws Exception {
    String tenant = "fq" + UUID.randomUUID().toString().substring(0, 8);
    List<StampedEvent> events = new EventStamper().stamp(tenant,
        List.of(SampleEvents.seed(), SampleEvents.seed(), SampleEvents.seed()));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      List<String> both = LineProtocol.encodeWithTrail(events.get(i));
      // The newest event's point was refused by the store; its index point was not.
      lines.addAll(i == events.size() - 1 ? both.subList(1, 2) : both);
    }
    assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant), lines)).isEmpty();

    assertThat(ids(service.get("/audit/log?category=event_name&app=app_name&size=2", tenant)))
        .containsExactly(events.get(1).id(), events.get(0).id());
  }

  @Test
  void theScrubbedIndexPointsOfDeletedEventsAreSkipped() throws Exception {
    String tenant = "fs" + UUID.randomUUID().toString().substring(0, 8);
    List<StampedEvent> events = new EventStamper().stamp(tenant,
        List.of(SampleEvents.seed(), SampleEvents.seed(), SampleEvents.seed(), SampleEvents.seed()));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      StampedEvent event = events.get(i);
      // The newest and the second oldest were deleted: their points are gone, their index points emptied.
      lines.addAll(i == 1 || i == 3 ? LineProtocol.emptiedTrail(event.eventId(), event.timestampNanos())
          : LineProtocol.encodeWithTrail(event));
    }
    assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant), lines)).isEmpty();

    assertThat(ids(service.get("/audit/log?category=event_name&app=app_name&size=2", tenant)))
        .containsExactly(events.get(2).id(), events.get(0).id());
    assertThat(ids(service.get("/audit/log?category=event_name&app=app_name&size=1", tenant)))
        .containsExactly(events.get(2).id());
  }

  @Test
  void aPointWithOnlySomeOfItsFieldsIsNotReadUntilTheRestAreStored() throws Exception {
    String tenant = "fw" + UUID.randomUUID().toString().substring(0, 8);
    List<StampedEvent> events = STAMPER.stamp(tenant, List.of(SampleEvents.seed(), SampleEvents.seed()));
    StampedEvent newest = events.get(1);
    String line = LineProtocol.encode(newest);
    // What a read can see while InfluxDB stores the newest point: its tags and id, not yet its event_id and the rest.
    String seriesKey = line.split("(?<!\\\\) ", 2)[0];
    List<String> lines = new ArrayList<>(LineProtocol.encodeWithTrail(events.get(0)));
    lines.add(seriesKey + " " + InfluxNames.FIELD_ID + "=\"" + newest.id() + "\" " + newest.timestampNanos());
    lines.add(LineProtocol.encodeWithTrail(newest).get(1));
    var writer = TestQueryService.provisionedWriter(tenant);
    assertThat(writer.write(InfluxNames.database(tenant), lines)).isEmpty();

    assertThat(ids(service.get("/audit/log?category=event_name&app=app_name&size=2", tenant)))
        .containsExactly(events.get(0).id());
    assertThat(service.get("/api/events/get?id=" + newest.id(), tenant).statusCode()).isEqualTo(404);
    assertThat(ids(service.get("/audit/log/" + newest.eventId(), tenant))).doesNotContain(newest.id());

    // The rest of its fields, at the same series and time, make it whole.
    assertThat(writer.write(InfluxNames.database(tenant), List.of(line))).isEmpty();
    HttpResponse<String> page = service.get("/audit/log?category=event_name&app=app_name&size=2", tenant);
    assertThat(ids(page)).containsExactly(newest.id(), events.get(0).id());
    assertThat(Json.MAPPER.readTree(page.body()).path(0).path("event_id").asText()).isEqualTo(newest.eventId());
    assertThat(service.get("/api/events/get?id=" + newest.id(), tenant).statusCode()).isEqualTo(200);
    assertThat(ids(service.get("/audit/log/" + newest.eventId(), tenant))).contains(newest.id());
  }

  @Test
  void eventsStoredBeforeTheIndexExistedStillFillThePage() throws Exception {
    String tenant = "fr" + UUID.randomUUID().toString().substring(0, 8);
    List<StampedEvent> events = STAMPER.stamp(tenant, List.of(SampleEvents.seed(), SampleEvents.seed(),
        SampleEvents.seed()));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      // The oldest two were stored before the trail index existed.
      lines.addAll(i < 2 ? List.of(LineProtocol.encode(events.get(i))) : LineProtocol.encodeWithTrail(events.get(i)));
    }
    assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant), lines)).isEmpty();

    assertThat(ids(service.get("/audit/log?category=event_name&app=app_name&size=2", tenant)))
        .containsExactly(events.get(2).id(), events.get(1).id());
  }

  private static void assertPage(String query, int size, Predicate<StampedEvent> wanted) throws Exception {
    List<String> expected = EVENTS.stream().filter(wanted)
        .sorted(Comparator.comparingLong(StampedEvent::timestampNanos).reversed()).limit(size)
        .map(StampedEvent::id).toList();
    HttpResponse<String> response = service.get("/audit/log?start=1d&" + query, TENANT);
    assertThat(ids(response)).as(query).containsExactlyElementsOf(expected);
    boolean more = EVENTS.stream().filter(wanted).count() > size;
    assertThat(response.headers().firstValue("Link").isPresent()).as(query).isEqualTo(more);
  }

  private static List<String> ids(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    Json.MAPPER.readTree(response.body()).forEach(event -> ids.add(event.path("id").asText()));
    return ids;
  }
}
