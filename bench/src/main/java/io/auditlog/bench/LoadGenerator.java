package io.auditlog.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Posts events to the gateway in one of two ways. {@link #saturate} keeps a fixed number of requests in flight (a
 * closed loop: the most the service sustains). {@link #fixedRate} sends at a fixed schedule whatever the answers
 * (an open loop): each latency is measured from the moment its request was due, so a stall counts against every
 * request that waited behind it instead of hiding them (no coordinated omission).
 */
final class LoadGenerator implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpClientAgent client;
  private final RequestOptions target;
  private final String accessKey;

  LoadGenerator(String baseUrl, String accessKey, int connections) {
    URI uri = URI.create(baseUrl);
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
    target = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
        .setURI("/audit/log").putHeader("Content-Type", "application/json");
    this.accessKey = accessKey;
  }

  /** One request: the body and the access key of the tenant it is for. */
  record Request(String accessKey, Buffer body) {
  }

  /** An answer: its status and its body. */
  private record Answer(int status, Buffer body) {
  }

  /** Told of each accepted request of a closed loop, on an event loop (so it must not block). */
  interface AcceptedAnswers {

    AcceptedAnswers NONE = (acceptedBeforeSend, body) -> {
    };

    /** {@code acceptedBeforeSend}: the events the phase had accepted when the request was sent. */
    void accepted(long acceptedBeforeSend, Buffer body);
  }

  /** Keeps {@code concurrency} requests in flight for {@code duration}, cycling through {@code bodies}. */
  Run saturate(String name, List<Buffer> bodies, int eventsPerBody, int concurrency, Duration duration)
      throws InterruptedException {
    return saturate(name, bodies, eventsPerBody, concurrency, duration, AcceptedAnswers.NONE);
  }

  /** As {@link #saturate(String, List, int, int, Duration)}, telling {@code answers} of each accepted request. */
  Run saturate(String name, List<Buffer> bodies, int eventsPerBody, int concurrency, Duration duration,
      AcceptedAnswers answers) throws InterruptedException {
    Run run = new Run(name, eventsPerBody, duration);
    long deadline = run.startNanos + duration.toNanos();
    AtomicInteger next = new AtomicInteger();
    return closedLoop(run, concurrency, duration.toSeconds() + 120, () -> System.nanoTime() >= deadline ? null
        : new Request(accessKey, bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()))), answers);
  }

  /** Sends every request once, in order, keeping {@code concurrency} in flight (at most 10 minutes). */
  Run sendAll(String name, List<Request> requests, int eventsPerRequest, int concurrency)
      throws InterruptedException {
    Duration limit = Duration.ofMinutes(10);
    AtomicInteger next = new AtomicInteger();
    return closedLoop(new Run(name, eventsPerRequest, limit), concurrency, limit.toSeconds(), () -> {
      int index = next.getAndIncrement();
      return index < requests.size() ? requests.get(index) : null;
    }, AcceptedAnswers.NONE);
  }

  /** {@code concurrency} loops, each sending its next request when the previous one was answered, until none. */
  private Run closedLoop(Run run, int concurrency, long timeoutSeconds, Supplier<Request> requests,
      AcceptedAnswers answers) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext(v -> loop(run, requests, answers, done));
    }
    done.await(timeoutSeconds, TimeUnit.SECONDS);
    return run.finish();
  }

  private void loop(Run run, Supplier<Request> requests, AcceptedAnswers answers, CountDownLatch done) {
    long started = System.nanoTime();
    Request request = requests.get();
    if (request == null) {
      done.countDown();
      return;
    }
    long acceptedBeforeSend = run.acceptedEvents();
    post(request).onComplete(answer -> {
      boolean accepted = answer.succeeded() && answer.result().status() == 202;
      run.record(started, System.nanoTime(), accepted);
      if (accepted) {
        answers.accepted(acceptedBeforeSend, answer.result().body());
      }
      loop(run, requests, answers, done);
    });
  }

  /** Sends {@code ratePerSecond} requests a second for {@code duration}, on schedule whatever the answers. */
  Run fixedRate(String name, List<Buffer> bodies, int eventsPerBody, int ratePerSecond, Duration duration)
      throws InterruptedException {
    Run run = new Run(name, eventsPerBody, duration);
    long period = 1_000_000_000L / ratePerSecond;
    long total = duration.toSeconds() * ratePerSecond;
    CountDownLatch answered = new CountDownLatch((int) total);
    for (long i = 0; i < total; i++) {
      long due = run.startNanos + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Buffer body = bodies.get((int) (i % bodies.size()));
      vertx.runOnContext(v -> post(new Request(accessKey, body)).onComplete(answer -> {
        run.record(due, System.nanoTime(), answer.succeeded() && answer.result().status() == 202);
        answered.countDown();
      }));
    }
    answered.await(120, TimeUnit.SECONDS);
    return run.finish();
  }

  private Future<Answer> post(Request request) {
    return client.request(new RequestOptions(target).putHeader("api-key", request.accessKey()))
        .compose(sent -> sent.send(request.body()))
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)));
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
