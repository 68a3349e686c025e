package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.Statement;
import io.auditlog.store.StoreAnswer;
import io.auditlog.model.TenantInfluxUsers;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A tenant's database over InfluxDB's v1 API: one InfluxQL query with bound parameters and nanosecond times, answered
 * as the statement's result ({@code results[0]}; empty when the database is missing), data-changing
 * statements, and line-protocol writes. Each request logs in as the tenant's own InfluxDB user: reads as its reader
 * (READ on its database alone), deletes and writes as its deleter (WRITE on its database alone), so a statement that
 * names another database, or any DDL, is refused by InfluxDB itself.
 */
public final class InfluxQueries {

  /** The largest answer one query may bring back; more fails the read with 422 as the bytes arrive. */
  public static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  /** A query's one result and the size of the answer it came in. */
  public record Answer(JsonNode result, int bytes) {
  }

  private final Vertx vertx;
  private final HttpClient requests;
  private final WebClient client;
  private final TenantTurns connections;
  private final Duration queryTimeout;
  private final HttpClient streams;
  private final TenantWorkers decoding;
  private final String url;
  private final TenantInfluxUsers users;
  private volatile Erasing erasing = Erasing.NOTHING;

  /**
   * Queries, deletes and writes over a pool of {@code connections} connections, each in its tenant's turn
   * ({@link TenantTurns#shared}: one tenant holds a quarter, so that a tenant's slow queries wait behind each other,
   * not in front of another tenant's), their answers (up to {@link #MAX_ANSWER_BYTES} of JSON) decoded on
   * {@code decoding}, in the tenant's turn and never on an event loop; streamed answers ({@link #stream}) over
   * {@code streams}, a client of their own whose pool is as large as the streams allowed at once, so a stream held open
   * by a slow reader never delays a query. A query InfluxDB has not answered within {@code queryTimeout} (a read's
   * budget) is given up: its request is reset, which makes InfluxDB abort it, its turn is over, and the read fails with
   * 503 {@code query_timeout}.
   */
  public InfluxQueries(Vertx vertx, int connections, Duration queryTimeout, HttpClient streams,
      TenantWorkers decoding, String url, TenantInfluxUsers users) {
    this.vertx = vertx;
    this.requests = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(connections));
    this.client = WebClient.wrap(requests);
    this.connections = TenantTurns.shared(connections);
    this.queryTimeout = queryTimeout;
    this.streams = streams;
    this.decoding = decoding;
    this.url = url;
    this.users = users;
  }

  /**
   * Runs one {@code SELECT} or {@code SHOW} and answers its one result (a missing node for a tenant without a
   * database yet). An answer with any other number of results is refused.
   */
  public Future<JsonNode> run(String tenant, InfluxQl query) {
    return measured(tenant, query).map(Answer::result);
  }

  /**
   * {@link #run}, then {@code work} on its result in the same task of the decoding pool (one hand-off per answer:
   * rows decided there, as a view's patterns must be, never on an event loop).
   */
  public <T> Future<T> run(String tenant, InfluxQl query, Function<JsonNode, T> work) {
    return measured(tenant, query, answer -> work.apply(answer.result()));
  }

  /** {@link #run}, with the size of the answer (so a scan can size its next chunk by bytes). */
  public Future<Answer> measured(String tenant, InfluxQl query) {
    return measured(tenant, query, Function.identity());
  }

  /** {@link #measured}, then {@code work} on the answer in the same task of the decoding pool. */
  public <T> Future<T> measured(String tenant, InfluxQl query, Function<Answer, T> work) {
    Statement statement = query.statement();
    if (!statement.text().startsWith("SELECT ") && !statement.text().startsWith("SHOW ")) {
      throw new IllegalArgumentException("not a query: " + statement.text());
    }
    CappedBody body = new CappedBody();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
        .setAbsoluteURI(url + "/query?" + form(Map.of("db", InfluxNames.database(tenant), "q", statement.text(),
            "params", statement.paramsJson(), "epoch", "ns")))
        .putHeader("Authorization", users.reader(tenant).basicAuthorization());
    return connections.run(tenant, () -> requests.request(options).compose(request -> givenUpLate(request,
            request.send().compose(response -> response.pipeTo(body)))))
        .recover(InfluxQueries::apiFailure)
        .compose(response -> decoding.execute(tenant, () -> work.apply(new Answer(StoreAnswer.result(statement,
            StoreAnswer.parse(body.body().getBytes())), body.body().length()))));
  }

  /**
   * Sends one {@code SELECT} with {@code chunked=true} and answers its answer as lines of at most
   * {@code chunkSize} rows and {@code maxLineBytes} bytes, taken one at a time. The request gives up when InfluxDB
   * sends no answer until {@code deadline} (the reader bounds its wait for each line itself); {@code onClose} runs
   * once when the answer has ended or is closed, or could not be had.
   */
  Future<StreamedAnswer> stream(String tenant, InfluxQl query, int chunkSize, int maxLineBytes, Instant deadline,
      Runnable onClose) {
    RequestOptions options;
    Statement statement = query.statement();
    try {
      if (!statement.text().startsWith("SELECT ")) {
        throw new IllegalArgumentException("not a query: " + statement.text());
      }
      String params = form(Map.of("db", InfluxNames.database(tenant), "q", statement.text(), "params",
          statement.paramsJson(), "epoch", "ns", "chunked", "true", "chunk_size", Integer.toString(chunkSize)));
      options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url + "/query?" + params)
          .putHeader("Authorization", users.reader(tenant).basicAuthorization())
          .setIdleTimeout(ReadBudget.millisLeft(deadline));
    } catch (RuntimeException e) {
      onClose.run();
      throw e;
    }
    return streams.request(options)
        .compose(request -> request.send()
            .compose(response -> StreamedAnswer.of(statement, request, response, maxLineBytes, onClose)))
        .onFailure(failure -> onClose.run());
  }

  /**
   * {@code answer} to {@code request}, or 503 {@code query_timeout} once {@code queryTimeout} has passed. InfluxDB
   * sends an answer's head at once and its body when the query is done, and the client's idle timeout ends with the
   * head, so a timer resets the request: its connection is closed, and InfluxDB aborts a query whose client left. A
   * read that failed midway (an answer too large) is reset too, so nothing more of it is read.
   */
  private <T> Future<T> givenUpLate(HttpClientRequest request, Future<T> answer) {
    AtomicBoolean late = new AtomicBoolean();
    long timer = vertx.setTimer(queryTimeout.toMillis(), id -> {
      late.set(true);
      request.reset();
    });
    return answer.transform(done -> {
      vertx.cancelTimer(timer);
      if (done.succeeded()) {
        return Future.succeededFuture(done.result());
      }
      request.reset();
      return Future.failedFuture(late.get() ? ReadBudget.timedOut() : done.cause());
    });
  }

  /** {@code params} as a URL's query. */
  private static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(param -> param.getKey() + "=" + URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /**
   * A read refused for its size reaches the caller as that refusal, however the pipe wrapped it.
   */
  private static <T> Future<T> apiFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ApiException refused) {
        return Future.failedFuture(refused);
      }
    }
    return Future.failedFuture(failure);
  }

  /** Has {@code erasing} told around every deletion ({@link #erasing(String, OptionalLong, Supplier)}). */
  public void erasing(Erasing erasing) {
    this.erasing = erasing;
  }

  /**
   * Runs a deletion from the tenant's database ({@code deletion}: its requests of deletes, its writes, its records)
   * between {@link Erasing#begin} and {@link Erasing#end}: nothing of it runs when the first fails. Brackets may nest.
   * A deletion runs to its end even if its caller leaves ({@link CallerPresence#stayUntilDone}).
   */
  public <T> Future<T> erasing(String tenant, OptionalLong olderThan, Supplier<Future<T>> deletion) {
    CallerPresence.stayUntilDone();
    return erasing.begin(tenant, olderThan).compose(lease -> {
      Future<T> deleted;
      try {
        deleted = deletion.get();
      } catch (RuntimeException e) {
        deleted = Future.failedFuture(e);
      }
      return deleted.transform(done -> erasing.end(tenant, olderThan, lease).transform(ended -> done.succeeded()
          ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause())));
    });
  }

  /**
   * Runs {@code DELETE} statements, which InfluxDB accepts only by POST, as one request; fails when any of them
   * failed or the answer does not hold exactly one result for each. Call it inside {@link #erasing}.
   */
  public Future<Void> execute(String tenant, List<InfluxQl> deletes) {
    Statement statement = InfluxQl.batch(deletes);
    if (!deletes.stream().allMatch(delete -> delete.statement().text().startsWith("DELETE "))) {
      throw new IllegalArgumentException("not a delete: " + statement.text());
    }
    return connections.run(tenant, () -> client.postAbs(url + "/query")
            .putHeader("Authorization", users.deleter(tenant).basicAuthorization())
            .sendForm(MultiMap.caseInsensitiveMultiMap()
                .add("db", InfluxNames.database(tenant))
                .add("q", statement.text())
                .add("params", statement.paramsJson())))
        .<Void>map(response -> {
          StoreAnswer.results(statement, StoreAnswer.parse(response.bodyAsBuffer() == null ? null
              : response.bodyAsBuffer().getBytes()));
          return null;
        });
  }

  /** Writes line-protocol points (nanosecond times) to the tenant's database: only the delete path does. */
  public Future<Void> write(String tenant, List<String> lines) {
    return connections.run(tenant, () -> client.postAbs(url + "/write")
            .putHeader("Authorization", users.deleter(tenant).basicAuthorization())
            .addQueryParam("db", InfluxNames.database(tenant))
            .addQueryParam("precision", "ns")
            .sendBuffer(Buffer.buffer(String.join("\n", lines))))
        .compose(response -> response.statusCode() == 204 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new IllegalStateException("InfluxDB write " + response.statusCode() + ": "
                + response.bodyAsString())));
  }


  public Future<Void> ping() {
    return client.getAbs(url + "/ping").send()
        .compose(r -> r.statusCode() == 204 ? Future.succeededFuture() : Future.failedFuture("ping " + r.statusCode()));
  }
}
