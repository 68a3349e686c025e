package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventStamper;
import io.auditlog.model.EventValidator;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.NanoTimestamps;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.store.LineProtocol;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The query-service over a real InfluxDB holding events written by the worker's own encoder and writer. */
class QueryServiceIT {

  private static final String TENANT_A = "qa" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
  private static final String TENANT_B = "qb" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
  private static TestQueryService service;
  private static List<StampedEvent> requestOne;
  private static List<StampedEvent> requestTwo;

  @BeforeAll
  static void start() throws Exception {
    service = new TestQueryService();
    EventStamper stamper = new EventStamper();
    ObjectNode production = SampleEvents.seedJson();
    ((ObjectNode) production.get("source_information")).put("environment", "production");
    ((ObjectNode) production.get("actor")).put("origin", "10.0.0.9");
    AuditEvent staging = SampleEvents.seed();
    AuditEvent prod = new EventValidator().validate(production).get(0);
    requestOne = stamper.stamp(TENANT_A, List.of(staging, prod, staging));
    requestTwo = stamper.stamp(TENANT_A, List.of(prod));
    store(TENANT_A, requestOne);
    store(TENANT_A, requestTwo);
    store(TENANT_B, stamper.stamp(TENANT_B, List.of(staging, staging)));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  private static void store(String tenant, List<StampedEvent> events) throws Exception {
    List<String> lines = events.stream().flatMap(e -> LineProtocol.encodeWithTrail(e).stream()).toList();
    assertThat(TestQueryService.provisionedWriter(tenant)
        .write(InfluxNames.database(tenant), lines)).isEmpty();
  }

  private static HttpResponse<String> get(String path, String tenant) throws Exception {
    return service.get(path, tenant);
  }

  private static List<String> ids(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    Json.MAPPER.readTree(response.body()).forEach(event -> ids.add(event.path("id").asText()));
    return ids;
  }

  @Test
  void listsTheTenantsEventsNewestFirstAcrossEnvironments() throws Exception {
    assertThat(ids(get("/audit/log?category=event_name&app=app_name", TENANT_A))).containsExactly(
        requestTwo.get(0).id(), requestOne.get(2).id(), requestOne.get(1).id(), requestOne.get(0).id());
  }

  @Test
  void pagesWithALinkToTheNextPage() throws Exception {
    HttpResponse<String> first = get("/audit/log?category=event_name&app=app_name&size=3", TENANT_A);
    assertThat(ids(first)).hasSize(3);
    String link = first.headers().firstValue("Link").orElseThrow();
    assertThat(link).startsWith("</audit/log?").contains("page=2").endsWith(">; rel=\"next\"");
    HttpResponse<String> second = get(link.substring(1, link.indexOf('>')), TENANT_A);
    assertThat(ids(second)).containsExactly(requestOne.get(0).id());
    assertThat(second.headers().firstValue("Link")).isEmpty();
  }

  @Test
  void theNextPageLinkIsTheRoutesOwnPathWhateverPathTheClientWrote() throws Exception {
    HttpResponse<String> first = get("//evil.example/../audit/log?category=event_name&app=app_name&size=1", TENANT_A);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("Link").orElseThrow()).startsWith("</audit/log?");
  }

  @Test
  void filtersByTagAndByOrigin() throws Exception {
    assertThat(ids(get("/audit/log?category=event_name&app=app_name&env=production", TENANT_A)))
        .containsExactly(requestTwo.get(0).id(), requestOne.get(1).id());
    assertThat(ids(get("/audit/log?category=event_name&app=app_name&origin=127.0.0.1", TENANT_A)))
        .containsExactly(requestOne.get(2).id(), requestOne.get(0).id());
  }

  @Test
  void readsBackWhatWasWritten() throws Exception {
    JsonNode event = Json.MAPPER.readTree(get("/audit/log?category=event_name&app=app_name&env=staging&size=1",
        TENANT_A).body()).get(0);
    ObjectNode body = event.deepCopy();
    assertThat(body.remove("id").asText()).isEqualTo(requestOne.get(2).id());
    assertThat(body.remove("event_id").asText()).isEqualTo(requestOne.get(0).eventId());
    assertThat(body.remove("timestamp").asText())
        .isEqualTo(NanoTimestamps.format(requestOne.get(2).timestampNanos()));
    assertThat(((ObjectNode) body.get("event")).remove("stage").asInt()).isEqualTo(3);
    assertThat(body).isEqualTo(SampleEvents.seedJson());
  }

  @Test
  void trailsOneRequestNewestFirst() throws Exception {
    assertThat(ids(get("/audit/log/" + requestOne.get(0).eventId(), TENANT_A))).containsExactly(
        requestOne.get(2).id(), requestOne.get(1).id(), requestOne.get(0).id());
    assertThat(ids(get("/audit/log/" + requestOne.get(0).eventId(), TENANT_B))).isEmpty();
    assertThat(ids(get("/audit/log/not-an-id", TENANT_A))).isEmpty();
    // A UUIDv7 whose millisecond lies in the year 10889, past every time the store holds.
    assertThat(ids(get("/audit/log/ffffffff-ffff-7fff-bfff-ffffffffffff", TENANT_A))).isEmpty();
  }

  @Test
  void trailsEventsWhoseIndexPointsPredateTheBuckets() throws Exception {
    String tenant = "qc" + UUID.randomUUID().toString().substring(0, 8);
    List<StampedEvent> request = new EventStamper().stamp(tenant, List.of(SampleEvents.seed(), SampleEvents.seed()));
    List<String> lines = new ArrayList<>();
    for (StampedEvent event : request) {
      List<String> both = LineProtocol.encodeWithTrail(event);
      lines.add(both.get(0));
      // The index point as written before the trail index had buckets: the same fields, no bucket tag.
      lines.add(both.get(1).replaceFirst("^audit\\\\ trail,bucket=[0-9]+ ", "audit\\\\ trail "));
    }
    assertThat(lines.get(1)).startsWith("audit\\ trail event_id=");
    assertThat(TestQueryService.provisionedWriter(tenant).write(InfluxNames.database(tenant), lines)).isEmpty();

    assertThat(ids(get("/audit/log/" + request.get(0).eventId(), tenant))).containsExactly(
        request.get(1).id(), request.get(0).id());
  }

  @Test
  void neverShowsAnotherTenantsEvents() throws Exception {
    List<String> b = ids(get("/audit/log?category=event_name&app=app_name", TENANT_B));
    assertThat(b).hasSize(2).doesNotContainAnyElementsOf(ids(get("/audit/log?category=event_name&app=app_name",
        TENANT_A)));
  }

  @Test
  void refusesRequestsWithoutTheGatewaysIdentity() throws Exception {
    assertThat(get("/audit/log?category=event_name&app=app_name", null).statusCode()).isEqualTo(401);
    assertThat(service.getForged("/audit/log?category=event_name&app=app_name", TENANT_A).statusCode())
        .isEqualTo(401);
  }

  private static String filter(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void filtersWithTheLanguageExactlyOrFinishingInMemory() throws Exception {
    assertThat(ids(get("/audit/log?category=event_name&app=app_name&filter=" + filter("env = production"),
        TENANT_A))).containsExactly(requestTwo.get(0).id(), requestOne.get(1).id());
    String inexact = "/audit/log?category=event_name&app=app_name&size=1&filter="
        + filter("origin @ipMatch 10.0.0.0/24");
    HttpResponse<String> first = get(inexact, TENANT_A);
    assertThat(ids(first)).containsExactly(requestTwo.get(0).id());
    String link = first.headers().firstValue("Link").orElseThrow();
    HttpResponse<String> second = get(link.substring(1, link.indexOf('>')), TENANT_A);
    assertThat(ids(second)).containsExactly(requestOne.get(1).id());
    assertThat(second.headers().firstValue("Link")).isEmpty();
    HttpResponse<String> malformed = get("/audit/log?category=event_name&app=app_name&filter=" + filter("env ="),
        TENANT_A);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("line 1:6: expected a value after '='", "filter_syntax");
  }

  @Test
  void aViewLimitsEveryRead() throws Exception {
    String view = "env = staging";
    assertThat(ids(service.get("/audit/log?category=event_name&app=app_name", TENANT_A, view)))
        .containsExactly(requestOne.get(2).id(), requestOne.get(0).id());
    assertThat(ids(service.get("/audit/log?category=event_name&app=app_name&filter=" + filter("env = production"),
        TENANT_A, view))).isEmpty();
    assertThat(ids(service.get("/audit/log/" + requestOne.get(0).eventId(), TENANT_A, view)))
        .containsExactly(requestOne.get(2).id(), requestOne.get(0).id());
    assertThat(service.get("/audit/metrics/env/count?category=event_name&app=app_name&interval=1d", TENANT_A, view)
        .body()).contains("\"staging\":2").doesNotContain("production");
    assertThat(service.get("/audit/metrics/cpu_usage?category=event_name&app=app_name&interval=1d&agg=count",
        TENANT_A, "origin @ipMatch 10.0.0.9").body()).contains("\"value\":2.0");
  }

  @Test
  void reportsBadParametersWithTheirLoc() throws Exception {
    HttpResponse<String> response = get("/audit/log?app=x&start=now()&stop=1d&size=0", TENANT_A);
    assertThat(response.statusCode()).isEqualTo(422);
    List<String> locs = new ArrayList<>();
    Json.MAPPER.readTree(response.body()).path("detail").forEach(d -> locs.add(d.path("loc").toString()));
    assertThat(locs).containsExactlyInAnyOrder("[\"query\",\"category\"]", "[\"query\",\"size\"]",
        "[\"query\",\"start\"]");
  }
}
