package io.auditlog.query;

import io.auditlog.store.read.ReadBudget;
import io.auditlog.store.read.StreamPermits;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.Ports;
import io.auditlog.infra.PostgresServer;
import io.auditlog.model.InfluxNames;
import io.auditlog.query.history.HistorySettings;
import io.auditlog.web.InternalTokens;
import io.auditlog.store.InfluxWriter;
import io.auditlog.web.Metrics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A query-service verticle on a free port over the test JVM's InfluxDB, and requests as the gateway sends them. */
final class TestQueryService implements AutoCloseable {

  static final BackingServices SERVICES = BackingServices.forTests();
  private static final String SECRET = "query-service-test-secret-0123456789ab";
  /** One client for every request a test sends: a client per request opens a connection and threads each time. */
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Vertx vertx = Vertx.vertx();
  private final InternalTokens tokens = new InternalTokens(vertx, SECRET);
  final String base;

  TestQueryService() throws Exception {
    this(Duration.ZERO);
  }

  /** With the given settle time for deletes (zero: every deleted event may be part of a range). */
  TestQueryService(Duration deleteSettle) throws Exception {
    this(deleteSettle, ReadBudget.DEFAULT);
  }

  /** With the given settle time for deletes and read budget. */
  TestQueryService(Duration deleteSettle, ReadBudget budget) throws Exception {
    this(deleteSettle, budget, history(true));
  }

  /** With the verifiable history read from the test JVM's PostgreSQL ({@link #history}), or switched off. */
  TestQueryService(HistorySettings history) throws Exception {
    this(Duration.ZERO, ReadBudget.DEFAULT, StreamSlots.DEFAULT_PER_TENANT, StreamPermits.DEFAULT_TOTAL, history);
  }

  /** With the given number of streamed reads a tenant may run at once. */
  TestQueryService(int streamsPerTenant) throws Exception {
    this(Duration.ZERO, ReadBudget.DEFAULT, streamsPerTenant, StreamPermits.DEFAULT_TOTAL, history(true));
  }

  /** With the given read budget and number of categories read as one streamed statement at once. */
  TestQueryService(ReadBudget budget, int streamedReads) throws Exception {
    this(Duration.ZERO, budget, StreamSlots.DEFAULT_PER_TENANT, streamedReads, history(true));
  }

  private TestQueryService(Duration deleteSettle, ReadBudget budget, HistorySettings history) throws Exception {
    this(deleteSettle, budget, StreamSlots.DEFAULT_PER_TENANT, StreamPermits.DEFAULT_TOTAL, history);
  }

  private TestQueryService(Duration deleteSettle, ReadBudget budget, int streamsPerTenant, int streamedReads,
      HistorySettings history) throws Exception {
    this(deleteSettle, budget, streamsPerTenant, streamedReads, history, false, Duration.ZERO);
  }

  /**
   * Counts by a variable kept per hour in the database the settings name (off elsewhere: other tests store events
   * without marking their hours, as only the ingest workers do), brought up to date only when asked.
   */
  static TestQueryService withHourlyCounts(HistorySettings database) throws Exception {
    return withHourlyCounts(database, Duration.ZERO);
  }

  /** As {@link #withHourlyCounts(HistorySettings)}, and brought up to date in the background every {@code round}. */
  static TestQueryService withHourlyCounts(HistorySettings database, Duration round) throws Exception {
    return new TestQueryService(Duration.ZERO, ReadBudget.DEFAULT, StreamSlots.DEFAULT_PER_TENANT,
        StreamPermits.DEFAULT_TOTAL, database, true, round);
  }

  private TestQueryService(Duration deleteSettle, ReadBudget budget, int streamsPerTenant, int streamedReads,
      HistorySettings history, boolean hourlyCounts, Duration countKeeping) throws Exception {
    int port = Ports.free();
    vertx.deployVerticle(new QueryVerticle(new QueryConfig("127.0.0.1", port, SERVICES.influx().url(),
            SERVICES.influxAccess().tenantSecret(), SECRET, deleteSettle, budget, streamsPerTenant, streamedReads, 2,
            QueryConfig.DEFAULT_TASK_BUDGET, hourlyCounts, countKeeping, history), new Metrics()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + port;
  }

  /** The history on or off, read from the test JVM's PostgreSQL as its owner. */
  static HistorySettings history(boolean on) {
    return new HistorySettings(on, "127.0.0.1", SERVICES.postgres().port(), SERVICES.postgres().database(),
        PostgresServer.USER, SERVICES.postgres().password(), Duration.ZERO, Duration.ofHours(1));
  }

  /** GET as the gateway would forward it for {@code tenant}; without a tenant, with no identity at all. */
  HttpResponse<String> get(String path, String tenant) throws Exception {
    return get(path, tenant, null);
  }

  /** GET for a tenant whose caller has a view. */
  HttpResponse<String> get(String path, String tenant, String view) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (tenant != null) {
      request.header("Authorization", "Bearer " + tokens.issue(InternalTokens.Identity.reader(tenant,
          Optional.ofNullable(view))));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET for a tenant whose caller may have a view, with extra headers (name, value, ...), the body as bytes. */
  HttpResponse<byte[]> getBytes(String path, String tenant, String view, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer "
        + tokens.issue(InternalTokens.Identity.reader(tenant, Optional.ofNullable(view))));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The {@code Authorization} header the gateway sends for a reader of {@code tenant} with no view. */
  String authorization(String tenant) {
    return "Bearer " + tokens.issue(InternalTokens.Identity.reader(tenant, Optional.empty()));
  }

  /** A request with the given method, as the gateway forwards it for {@code identity}. */
  HttpResponse<String> send(String method, String path, InternalTokens.Identity identity) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + tokens.issue(identity))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The first column of every row a statement returns from the tenant's database, read straight from InfluxDB as its
   * admin (a test is an operator).
   */
  static List<String> influxColumn(String tenant, String statement) {
    JsonNode result = SERVICES.influx().query(InfluxNames.database(tenant), statement);
    List<String> values = new ArrayList<>();
    for (JsonNode series : result.path("results").path(0).path("series")) {
      for (JsonNode row : series.path("values")) {
        values.add(row.path(1).asText());
      }
    }
    return values;
  }

  /** Provisions the tenant as the gateway does when it activates an account: database, users, grants. */
  static void provision(String tenant) {
    SERVICES.influx().provision(SERVICES.influxAccess().provisioning(), tenant);
  }

  /** Provisions the tenant and gives a writer logged in as the ingest workers' writer user. */
  static InfluxWriter provisionedWriter(String tenant) {
    provision(tenant);
    return new InfluxWriter(SERVICES.influx().url(), SERVICES.influxAccess().writer(), Duration.ofSeconds(60));
  }

  /** The value of one sample of this service's {@code /metrics}, by its name with labels as printed. */
  double metric(String sample) throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    for (String line : text.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    throw new AssertionError("no sample " + sample + " in /metrics");
  }

  /** The same request with an identity signed by another secret. */
  HttpResponse<String> getForged(String path, String tenant) throws Exception {
    String forged = new InternalTokens(vertx, SECRET + "-forged").issue(InternalTokens.Identity.reader(tenant,
        Optional.empty()));
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + forged)
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
