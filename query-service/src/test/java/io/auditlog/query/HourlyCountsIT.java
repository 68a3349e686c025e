package io.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.auditlog.infra.Ports;
import io.auditlog.infra.PostgresServer;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.AuditEvent.Action;
import io.auditlog.model.AuditEvent.Actor;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.query.history.HistorySettings;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.TagShape;
import io.auditlog.store.read.CountsByHour;
import io.auditlog.web.InternalTokens;
import io.auditlog.worker.ChangedHours;
import io.auditlog.worker.WorkerSchema;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Counts by a variable kept per hour, against the real InfluxDB and PostgreSQL: every answer equals what the events
 * stored hold, after writes into hours already counted (marked as the ingest workers mark them), after deletes, per
 * tenant; and the answers do come from the kept rows (a row changed by hand shows, until its hour is marked again).
 */
class HourlyCountsIT {

  private static final Instant NOW = Instant.now();
  private static final Random RANDOM = new Random(20261201);
  private static final String[] VARIABLES = {"event_name", "category", "method", "level"};
  /** How often a keeping service brings the kept counts up to date. */
  private static final Duration ROUND = Duration.ofMillis(300);

  private static TestQueryService service;
  private static ChangedHours marks;

  @BeforeAll
  static void start() throws Exception {
    WorkerSchema.migrateCounts(HistoryTenant.login());
    marks = ChangedHours.in(HistoryTenant.login());
    service = TestQueryService.withHourlyCounts(TestQueryService.history(true));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    marks.close();
  }

  /** An account's events, stored and marked as an ingest worker stores and marks them. */
  private static final class Account {
    final String id = Long.toString(8_000_000_000L + RANDOM.nextInt(1_000_000_000));
    final List<StampedEvent> events = new ArrayList<>();
    final TagShape shape;

    Account() {
      this(TagShape.EIGHT_TAGS);
    }

    Account(TagShape shape) {
      this.shape = shape;
      TestQueryService.provision(id);
    }

    /** Stores {@code count} events spread over the hours {@code [hoursAgo - spread, hoursAgo)} before now. */
    Account store(int count, int hoursAgo, int spread) throws Exception {
      String[] categories = {"web", "auth", "billing"};
      String[] names = {"login", "logout", "pay;card", "say\"hi\""};
      String[] methods = {"GET", "POST", "DELETE"};
      List<StampedEvent> added = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        AuditEvent event = new AuditEvent(categories[RANDOM.nextInt(3)], "shop", "prod",
            methods[RANDOM.nextInt(3)], "200", RANDOM.nextBoolean() ? "info" : "warn",
            new Action(names[RANDOM.nextInt(4)], "t", 1, 1, 0.1, 0.5, 1, Optional.empty(), Optional.empty()),
            new Actor("10.0.0.1", Optional.empty()), Optional.empty(), Optional.empty());
        long millis = NOW.minus(Duration.ofHours(hoursAgo)).toEpochMilli()
            + (long) (RANDOM.nextDouble() * Duration.ofHours(spread).toMillis());
        int n = events.size() + i;
        added.add(new StampedEvent(id, RecordStamper.uuid7(millis, id + "#" + n).toString(),
            RecordStamper.uuid7(millis, id + "/" + n).toString(), millis * 1_000_000L + n % 1000, 1, event));
      }
      assertThat(TestQueryService.provisionedWriter(id).write(InfluxNames.database(id),
          added.stream().flatMap(e -> LineProtocol.encodeWithTrail(e, null, shape).stream()).toList())).isEmpty();
      marks.mark(added.stream().map(e -> new ChangedHours.Hour(Long.parseLong(id),
          CountsByHour.hourOf(e.timestampNanos()))).collect(Collectors.toSet()));
      events.addAll(added);
      return this;
    }

    /** What an event holds of {@code variable}. */
    static Function<StampedEvent, String> valueOf(String variable) {
      return switch (variable) {
        case "event_name" -> e -> e.event().event().name();
        case "category" -> e -> e.event().category();
        case "method" -> e -> e.event().method();
        case "level" -> e -> e.event().level();
        default -> throw new IllegalArgumentException(variable);
      };
    }

    /** The answer expected from the events: {@code VAR;COUNT}, then each value, largest count first. */
    List<String> expected(String variable) {
      Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(valueOf(variable), TreeMap::new,
          Collectors.counting()));
      return CountTable.csv(variable, counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .toList()).lines().toList();
    }

    List<String> countBy(String variable) throws Exception {
      return countBy(variable, "", null);
    }

    List<String> countBy(String variable, String filter, String view) throws Exception {
      HttpResponse<String> response = service.get("/api/events/count?variable=" + variable + "&filter="
          + URLEncoder.encode(filter, StandardCharsets.UTF_8), id, view);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return response.body().lines().toList();
    }

    void delete(String filter) throws Exception {
      HttpResponse<String> response = service.send("DELETE", "/api/events/delete?limit=-1&filter="
          + URLEncoder.encode(filter, StandardCharsets.UTF_8), new InternalTokens.Identity(id, Optional.empty(), true));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** The kept rows of this account: hour → counts as text. */
    Map<Long, String> kept(String variable) throws Exception {
      try (Connection connection = HistoryTenant.login().connect();
          PreparedStatement statement = connection.prepareStatement(
              "SELECT hour, counts::text FROM count_rollups WHERE tenant = ? AND variable = ?")) {
        statement.setLong(1, Long.parseLong(id));
        statement.setString(2, variable);
        Map<Long, String> rows = new TreeMap<>();
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            rows.put(result.getLong(1), result.getString(2));
          }
        }
        return rows;
      }
    }

    /**
     * Waits until the kept rows by {@code variable} count every stored event, each hour as its events are, with no
     * count asked: what the keeper of a keeping service brings them to.
     */
    void awaitKept(String variable) throws Exception {
      Map<Long, Map<String, Long>> expected = events.stream().collect(Collectors.groupingBy(
          e -> CountsByHour.hourOf(e.timestampNanos()), TreeMap::new,
          Collectors.groupingBy(valueOf(variable), Collectors.counting())));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Map<Long, Map<String, Long>> kept;
      do {
        Thread.sleep(100);
        kept = new TreeMap<>();
        for (Map.Entry<Long, String> row : kept(variable).entrySet()) {
          Map<String, Long> counts = Json.MAPPER.readValue(row.getValue(), new TypeReference<Map<String, Long>>() { });
          if (!counts.isEmpty()) {
            kept.put(row.getKey(), counts);
          }
        }
      } while (!kept.equals(expected) && System.nanoTime() < deadline);
      assertThat(kept).as("the kept rows by %s", variable).isEqualTo(expected);
    }

    /** The hours marked for this account. */
    List<Long> marks() throws Exception {
      try (Connection connection = HistoryTenant.login().connect();
          PreparedStatement statement = connection.prepareStatement(
              "SELECT hour FROM count_marks WHERE tenant = ?")) {
        statement.setLong(1, Long.parseLong(id));
        List<Long> hours = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            hours.add(result.getLong(1));
          }
        }
        return hours;
      }
    }

    /** The deletions under way for this account, lapsed or not. */
    int leases() throws Exception {
      try (Connection connection = HistoryTenant.login().connect();
          PreparedStatement statement = connection.prepareStatement(
              "SELECT count(*) FROM count_leases WHERE tenant = ?")) {
        statement.setLong(1, Long.parseLong(id));
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          return result.getInt(1);
        }
      }
    }

    /** How many events InfluxDB holds for this account, read directly. */
    int storedEvents() {
      return TestQueryService.influxColumn(id, "SELECT \"id\" FROM /.*/ WHERE \"id\" != ''").size();
    }

    /** Changes the kept counts of one hour by hand, leaving its version as it is. */
    void overwrite(String variable, long hour, String counts) throws Exception {
      try (Connection connection = HistoryTenant.login().connect();
          PreparedStatement statement = connection.prepareStatement("UPDATE count_rollups SET counts = ?::jsonb"
              + " WHERE tenant = ? AND variable = ? AND hour = ?")) {
        statement.setString(1, counts);
        statement.setLong(2, Long.parseLong(id));
        statement.setString(3, variable);
        statement.setLong(4, hour);
        assertThat(statement.executeUpdate()).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TagShape.class)
  void everyAnswerIsWhatTheStoredEventsHoldAndComesFromTheKeptRows(TagShape shape) throws Exception {
    Account account = new Account(shape).store(400, 30, 30);
    for (String variable : VARIABLES) {
      assertThat(account.countBy(variable)).as("first count by %s", variable)
          .containsExactlyElementsOf(account.expected(variable));
      assertThat(account.countBy(variable)).as("kept count by %s", variable)
          .containsExactlyElementsOf(account.expected(variable));
    }
    Set<Long> hours = account.events.stream().map(e -> CountsByHour.hourOf(e.timestampNanos()))
        .collect(Collectors.toSet());
    assertThat(account.kept("event_name").keySet()).containsExactlyInAnyOrderElementsOf(hours);

    long hour = hours.iterator().next();
    account.overwrite("event_name", hour, "{\"forged\": 1000000}");
    assertThat(account.countBy("event_name")).as("the answer is read from the kept rows")
        .contains("forged;1000000");
    assertThat(account.countBy("event_name", "category != nothing", null)).as("a filtered count reads the events")
        .containsExactlyElementsOf(account.expected("event_name"));
    assertThat(account.countBy("event_name", "", "category != nothing")).as("a view reads the events")
        .containsExactlyElementsOf(account.expected("event_name"));

    marks.mark(Set.of(new ChangedHours.Hour(Long.parseLong(account.id), hour)));
    assertThat(account.countBy("event_name")).as("a marked hour is counted again")
        .containsExactlyElementsOf(account.expected("event_name"));
  }

  @ParameterizedTest
  @EnumSource(TagShape.class)
  void theKeeperCountsAgainWhatChangedAndWhatADeleteVoidedOfTheVariablesCountedBefore(TagShape shape)
      throws Exception {
    Account account = new Account(shape).store(200, 10, 5);
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
    account.store(100, 30, 3);
    try (TestQueryService keeping = TestQueryService.withHourlyCounts(TestQueryService.history(true), ROUND)) {
      account.awaitKept("event_name");
      account.delete("event.name = login");
      account.events.removeIf(e -> e.event().event().name().equals("login"));
      account.awaitKept("event_name");
      assertThat(account.kept("method")).as("a variable never counted by is not kept").isEmpty();
    }
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
  }

  @Test
  void theKeeperLeavesATenantAloneWhileADeletionHoldsItsLease() throws Exception {
    Account account = new Account().store(100, 10, 5);
    assertThat(account.countBy("category")).containsExactlyElementsOf(account.expected("category"));
    Map<Long, String> counted = account.kept("category");
    account.store(50, 20, 2);
    sql("INSERT INTO count_leases (tenant, lease, until) VALUES (" + account.id + ", gen_random_uuid(),"
        + " now() + interval '1 hour')");
    try (TestQueryService keeping = TestQueryService.withHourlyCounts(TestQueryService.history(true), ROUND)) {
      Thread.sleep(10 * ROUND.toMillis());
      assertThat(account.kept("category")).as("nothing counted under a lease").isEqualTo(counted);
      sql("DELETE FROM count_leases WHERE tenant = " + account.id);
      account.awaitKept("category");
    }
  }

  @ParameterizedTest
  @EnumSource(TagShape.class)
  void writesIntoCountedHoursAndNewHoursAreCounted(TagShape shape) throws Exception {
    Account account = new Account(shape).store(200, 10, 5);
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
    account.store(150, 9, 3).store(50, 400, 2).store(20, -1, 1);
    for (String variable : VARIABLES) {
      assertThat(account.countBy(variable)).as("count by %s after writes into counted, older and newer hours",
          variable).containsExactlyElementsOf(account.expected(variable));
    }
  }

  private static void sql(String statement) throws Exception {
    try (Connection connection = HistoryTenant.login().connect();
        PreparedStatement prepared = connection.prepareStatement(statement)) {
      prepared.execute();
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(TagShape.class)
  void deletesVoidTheKeptCounts(TagShape shape) throws Exception {
    Account account = new Account(shape).store(300, 20, 10);
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
    assertThat(account.countBy("method")).containsExactlyElementsOf(account.expected("method"));

    account.delete("event.name = login");
    account.events.removeIf(e -> e.event().event().name().equals("login"));
    assertThat(account.kept("event_name")).as("the delete removed the kept rows").isEmpty();
    for (String variable : VARIABLES) {
      assertThat(account.countBy(variable)).as("count by %s after the delete", variable)
          .containsExactlyElementsOf(account.expected(variable));
    }
    assertThat(account.countBy("event_name")).noneMatch(line -> line.startsWith("login;"));
    assertThat(String.join("", account.kept("event_name").values())).doesNotContain("\"login\"");
    account.delete("event.name = logout");
    assertThat(account.marks()).as("a delete leaves no mark of the hours it emptied").isEmpty();
    assertThat(account.leases()).as("every deletion gave its lease back").isZero();
  }

  @Test
  void aDeleteThatCannotVoidTheKeptCountsDeletesNothingAndMayBeRepeated() throws Exception {
    Account account = new Account().store(120, 8, 4);
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
    String refuse = "ALTER TABLE count_generations ADD CONSTRAINT refuse_" + account.id + " CHECK (tenant <> "
        + account.id + ") NOT VALID";
    sql(refuse);
    HttpResponse<String> refused;
    try {
      refused = service.send("DELETE", "/api/events/delete?limit=-1&filter=" + URLEncoder.encode(
          "event.name = login", StandardCharsets.UTF_8),
          new InternalTokens.Identity(account.id, Optional.empty(), true));
    } finally {
      sql("ALTER TABLE count_generations DROP CONSTRAINT refuse_" + account.id);
    }
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.body()).contains("counts_unavailable");
    assertThat(account.storedEvents()).as("nothing was deleted").isEqualTo(account.events.size());
    account.delete("event.name = login");
    account.events.removeIf(e -> e.event().event().name().equals("login"));
    assertThat(account.storedEvents()).isEqualTo(account.events.size());
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
  }

  @Test
  void aServiceThatDoesNotAnswerFromKeptCountsStillVoidsThemWhenItDeletes() throws Exception {
    Account account = new Account().store(100, 5, 5);
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
    try (TestQueryService off = new TestQueryService()) {
      HttpResponse<String> deleted = off.send("DELETE", "/api/events/delete?limit=-1&filter=" + URLEncoder.encode(
          "event.name = logout", StandardCharsets.UTF_8),
          new InternalTokens.Identity(account.id, Optional.empty(), true));
      assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    }
    account.events.removeIf(e -> e.event().event().name().equals("logout"));
    assertThat(account.kept("event_name")).isEmpty();
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
  }

  @Test
  void retentionVoidsOnlyTheHoursItEmpties() throws Exception {
    Account account = new Account().store(200, 40, 40);
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
    Map<Long, String> before = account.kept("event_name");
    long cutoff = NOW.minus(Duration.ofHours(20)).toEpochMilli() * 1_000_000L;
    long cutHour = CountsByHour.hourOf(cutoff);
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestQueryService.history(true).pgPool(vertx, "retention-test", 1);
      HourlyCounts counts = new HourlyCounts(pool, null, true);
      UUID lease = await(counts.begin(account.id, OptionalLong.of(cutoff)));
      TestQueryService.SERVICES.influx().query(InfluxNames.database(account.id), "DELETE WHERE time < " + cutoff);
      await(counts.end(account.id, OptionalLong.of(cutoff), lease));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    account.events.removeIf(e -> e.timestampNanos() < cutoff);
    Map<Long, String> after = account.kept("event_name");
    assertThat(after.keySet()).as("the hours before the cutoff are gone").allMatch(hour -> hour >= cutHour);
    before.forEach((hour, counts) -> {
      if (hour > cutHour) {
        assertThat(after).as("hour %d after the cutoff is still kept", hour).containsEntry(hour, counts);
      }
    });
    assertThat(account.marks()).as("marks of emptied hours are gone").allMatch(hour -> hour >= cutHour);
    assertThat(account.countBy("event_name")).containsExactlyElementsOf(account.expected("event_name"));
    assertThat(account.kept("event_name").keySet()).as("no emptied hour is kept again").allMatch(h -> h >= cutHour);
  }

  @Test
  void eachAccountCountsOnlyItsOwnEvents() throws Exception {
    Account first = new Account().store(120, 6, 6);
    Account second = new Account().store(80, 6, 6);
    for (Account account : List.of(first, second, first, second)) {
      assertThat(account.countBy("category")).containsExactlyElementsOf(account.expected("category"));
    }
    Set<String> firstValues = new HashSet<>(first.kept("category").values());
    second.delete("category = web");
    second.events.removeIf(e -> e.event().category().equals("web"));
    assertThat(second.countBy("category")).containsExactlyElementsOf(second.expected("category"));
    assertThat(new HashSet<>(first.kept("category").values())).as("another account's delete keeps these")
        .isEqualTo(firstValues);
    assertThat(first.countBy("category")).containsExactlyElementsOf(first.expected("category"));
  }

  @Test
  void anAccountWhoseEventsSpanDecadesIsCounted() throws Exception {
    Account account = new Account().store(5, 24 * 365 * 50, 1).store(30, 2, 2).store(3, -24 * 365 * 20, 1)
        .store(2, -24 * 365 * 235, 1);
    for (String variable : VARIABLES) {
      assertThat(account.countBy(variable)).as("count by %s", variable)
          .containsExactlyElementsOf(account.expected(variable));
    }
    account.store(4, 24 * 365 * 30, 1);
    assertThat(account.countBy("category")).containsExactlyElementsOf(account.expected("category"));
  }

  @Test
  void withoutItsDatabaseEveryEventIsCounted() throws Exception {
    Account account = new Account().store(100, 3, 3);
    HistorySettings nowhere = new HistorySettings(false, "127.0.0.1", Ports.free(), "auditlog", PostgresServer.USER,
        "", Duration.ZERO, Duration.ofHours(1));
    try (TestQueryService cut = TestQueryService.withHourlyCounts(nowhere)) {
      HttpResponse<String> response = cut.get("/api/events/count?variable=event_name", account.id);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body().lines().toList()).containsExactlyElementsOf(account.expected("event_name"));
    }
  }
}
