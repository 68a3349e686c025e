package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.web.InternalTokens;
import io.auditlog.store.InfluxWriter;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.read.ReadBudget;
import io.auditlog.store.read.StreamPermits;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code list} over more events than several chunks hold, in three categories whose events interleave in time: the
 * ids come newest first over all categories, exactly as many as asked, streamed rather than gathered.
 */
class ConsoleListIT {

  private static final int EVENTS = 30_000;
  private static final String[] CATEGORIES = {"web", "auth", "billing"};
  private static final String TENANT = "list" + UUID.randomUUID().toString().substring(0, 8);
  /** Every id, newest first, and whether its origin is in 10.0.0.0/8. */
  private static final List<String> NEWEST_FIRST = new ArrayList<>();
  private static final List<String> INTERNAL_NEWEST_FIRST = new ArrayList<>();
  private static final String OPEN = "auditlog_query_streams_open";
  private static final String STREAMED = "auditlog_query_streamed_categories_total{outcome=\"streamed\"}";
  private static final String REFUSED = "auditlog_query_streamed_categories_total{outcome=\"refused\"}";
  private static TestQueryService service;

  @BeforeAll
  static void store() throws Exception {
    Instant start = Instant.now().minus(Duration.ofHours(10));
    List<String> lines = new ArrayList<>(EVENTS * 2);
    for (int i = 0; i < EVENTS; i++) {
      boolean internal = i % 5 != 0;
      AuditEvent event = new AuditEvent(CATEGORIES[(i / 7) % 3], "shop", "prod", "GET", "200", "info",
          new Action("request", "http", 1, 1, 0.1, 0.2, 0.3, Optional.empty(), Optional.empty()),
          new Actor((internal ? "10.1.2." : "172.16.0.") + (i % 250), Optional.empty()), Optional.empty(),
          Optional.empty());
      long millis = start.plusMillis(i * 1_000L).toEpochMilli();
      String id = RecordStamper.uuid7(millis, TENANT + "#" + i).toString();
      lines.addAll(LineProtocol.encodeWithTrail(new StampedEvent(TENANT, id,
          RecordStamper.uuid7(millis, TENANT + "/" + i).toString(), millis * 1_000_000L, 1, event)));
      NEWEST_FIRST.add(0, id);
      if (internal) {
        INTERNAL_NEWEST_FIRST.add(0, id);
      }
    }
    InfluxWriter writer = TestQueryService.provisionedWriter(TENANT);
    for (int from = 0; from < lines.size(); from += 20_000) {
      assertThat(writer.write(InfluxNames.database(TENANT), lines.subList(from, Math.min(lines.size(),
          from + 20_000)))).isEmpty();
    }
    service = new TestQueryService(Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
  }

  @Test
  void everythingComesNewestFirstOverAllCategoriesEachReadAsOneStreamedStatement() throws Exception {
    double streamed = service.metric(STREAMED);
    HttpResponse<String> answer = list("limit=-1");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(ConsoleRoutes.TEXT);
    // Written as it is found: no length known in advance (chunked over HTTP/1.1, data frames over HTTP/2).
    assertThat(answer.headers().firstValue("Content-Length")).isEmpty();
    assertThat(ids(answer)).isEqualTo(NEWEST_FIRST);
    assertThat(service.metric(STREAMED) - streamed).isEqualTo(CATEGORIES.length);
    assertThat(service.metric(OPEN)).isZero();
  }

  @Test
  void aStreamedCategoryMergesWithCategoriesReadInStatements() throws Exception {
    try (TestQueryService oneStream = new TestQueryService(ReadBudget.DEFAULT, 1)) {
      HttpResponse<String> answer = oneStream.send("GET", "/api/events/list?limit=-1",
          InternalTokens.Identity.reader(TENANT, Optional.empty()));
      assertThat(ids(answer)).isEqualTo(NEWEST_FIRST);
      assertThat(oneStream.metric(STREAMED)).isEqualTo(1);
      assertThat(oneStream.metric(REFUSED)).isEqualTo(CATEGORIES.length - 1);
      assertThat(oneStream.metric(OPEN)).isZero();
    }
  }

  /**
   * Listings stopped by their budget at every stage, from before their first read to after their last: whichever
   * stage it is, every stream is given back. Budgets double until one stopped a listing after its streams opened.
   */
  @Test
  void aListingCutOffMidwayGivesItsStreamsBack() throws Exception {
    boolean cutMidway = false;
    for (long millis = 10; millis <= 5_120 && !cutMidway; millis *= 2) {
      ReadBudget budget = new ReadBudget(ReadBudget.DEFAULT.time(), Duration.ofMillis(millis),
          ReadBudget.DEFAULT.maxScannedRows(), ReadBudget.DEFAULT.maxCategories());
      try (TestQueryService cut = new TestQueryService(budget, StreamPermits.DEFAULT_TOTAL)) {
        boolean whole;
        try {
          HttpResponse<String> answer = cut.send("GET", "/api/events/list?limit=-1",
              InternalTokens.Identity.reader(TENANT, Optional.empty()));
          whole = answer.statusCode() == 200 && ids(answer).equals(NEWEST_FIRST);
        } catch (IOException reset) {
          whole = false;
        }
        cutMidway = !whole && cut.metric(STREAMED) > 0;
        Instant until = Instant.now().plusSeconds(10);
        while (cut.metric(OPEN) > 0 && Instant.now().isBefore(until)) {
          Thread.sleep(20);
        }
        assertThat(cut.metric(OPEN)).as("streams still open after a listing cut at %d ms", millis).isZero();
      }
    }
    assertThat(cutMidway).as("some budget stopped a listing after its streams opened").isTrue();
  }

  /**
   * InfluxDB stopping a category's statement midway (here by {@code KILL QUERY}; a query timeout or a shutdown does
   * the same) answers the rows it had on a line that looks like the last one, then its error: the listing must fail,
   * never end as a shorter one.
   */
  @Test
  void aStatementStoppedInsideInfluxDbFailsTheListingInsteadOfShorteningIt() throws Exception {
    int killed = 0;
    for (int attempt = 0; attempt < 10; attempt++) {
      AtomicBoolean listing = new AtomicBoolean(true);
      AtomicInteger kills = new AtomicInteger();
      Thread killer = new Thread(() -> {
        while (listing.get()) {
          JsonNode running = TestQueryService.SERVICES.influx().execute("SHOW QUERIES");
          for (JsonNode query : running.path("results").path(0).path("series").path(0).path("values")) {
            if (InfluxNames.database(TENANT).equals(query.path(2).asText())
                && query.path(1).asText().startsWith("SELECT")) {
              JsonNode answer = TestQueryService.SERVICES.influx().execute("KILL QUERY " + query.path(0).asLong());
              if (!answer.path("results").path(0).has("error")) {
                kills.incrementAndGet();
              }
            }
          }
        }
      }, "kill-query");
      killer.start();
      try {
        HttpResponse<String> answer = list("limit=-1");
        assertThat(answer.statusCode() != 200 || ids(answer).equals(NEWEST_FIRST))
            .as("a listing that ended cleanly with %d ids of %d", ids(answer).size(), NEWEST_FIRST.size()).isTrue();
      } catch (IOException reset) {
        // Cut off after its first bytes: reset, as it must be.
      } finally {
        listing.set(false);
        killer.join();
      }
      killed += kills.get();
    }
    assertThat(killed).as("statements killed while listings ran").isPositive();
    Instant until = Instant.now().plusSeconds(10);
    while (service.metric(OPEN) > 0 && Instant.now().isBefore(until)) {
      Thread.sleep(20);
    }
    assertThat(service.metric(OPEN)).isZero();
  }

  @Test
  void aFilterDecidedRowByRowAndALimitAcrossChunkBoundaries() throws Exception {
    String filter = URLEncoder.encode("origin @ipMatch 10.0.0.0/8", StandardCharsets.UTF_8);
    assertThat(ids(list("limit=-1&filter=" + filter))).isEqualTo(INTERNAL_NEWEST_FIRST);
    assertThat(ids(list("limit=12345&filter=" + filter))).isEqualTo(INTERNAL_NEWEST_FIRST.subList(0, 12_345));
    assertThat(ids(list("limit=7"))).isEqualTo(NEWEST_FIRST.subList(0, 7));
  }

  @Test
  void aShortListIsOneOrdinaryAnswer() throws Exception {
    HttpResponse<String> answer = list("limit=3");
    assertThat(answer.headers().firstValue("Content-Length")).isPresent();
    assertThat(ids(answer)).isEqualTo(NEWEST_FIRST.subList(0, 3));
  }

  private static HttpResponse<String> list(String query) throws Exception {
    return service.send("GET", "/api/events/list?" + query, InternalTokens.Identity.reader(TENANT, Optional.empty()));
  }

  private static List<String> ids(HttpResponse<String> answer) {
    return answer.body().isEmpty() ? List.of() : Arrays.asList(answer.body().split("\n"));
  }
}
