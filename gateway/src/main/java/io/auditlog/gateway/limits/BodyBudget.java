package io.auditlog.gateway.limits;

import io.auditlog.model.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Bounds the request bodies the gateway holds at once, shared by all its event loops. Before a body is read, the
 * request reserves the most of it its route may hold (its {@code Content-Length}, up to the route's limit; the limit
 * when the length is not given) from a total and from its client address's share of it (a quarter), and gives it back
 * when its answer ends or its connection closes. A request that does not fit is answered 503 with {@code Retry-After}
 * at once, without its body being read, and its connection closed. A body that has not arrived whole within the body
 * timeout is answered 408 and its connection closed (except streamed ones, which hold one entry at a time and have
 * limits of their own). Without this, 450 connections each sending a body one byte short of 1 MiB, with no
 * credentials at all, ran a 512 MiB gateway out of heap within three seconds.
 */
public final class BodyBudget implements Handler<RoutingContext> {

  private static final Set<HttpMethod> WITH_BODIES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);

  private final long total;
  private final long perAddress;
  private final ToLongFunction<HttpServerRequest> limit;
  private final Predicate<HttpServerRequest> streamed;
  private final Duration timeout;
  private final Map<String, Long> heldByAddress = new HashMap<>();
  private long held;

  /**
   * {@code limit}: the most of a request's body its route holds at once; {@code streamed}: requests whose body is read
   * as it arrives, for which the body timeout does not apply.
   */
  public BodyBudget(long total, ToLongFunction<HttpServerRequest> limit, Predicate<HttpServerRequest> streamed,
      Duration timeout) {
    this.total = total;
    this.perAddress = total / 4;
    this.limit = limit;
    this.streamed = streamed;
    this.timeout = timeout;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    long bytes = reservation(request);
    if (bytes == 0) {
      ctx.next();
      return;
    }
    String address = ClientAddress.of(request);
    if (!reserve(address, bytes)) {
      refuse(ctx, ApiException.unavailable("too_many_bodies", "The gateway holds as many request bodies as it may at "
          + "once; retry shortly.", 1));
      return;
    }
    long timer = streamed.test(request) ? -1 : ctx.vertx().setTimer(timeout.toMillis(), fired -> {
      if (!request.isEnded() && !ctx.response().ended()) {
        refuse(ctx, ApiException.of(408, "body_timeout", "The request body did not arrive within "
            + timeout.toSeconds() + " s."));
      }
    });
    boolean[] released = {false};
    ctx.addEndHandler(ended -> {
      ctx.vertx().cancelTimer(timer);
      if (!released[0]) {
        released[0] = true;
        release(address, bytes);
      }
    });
    ctx.next();
  }

  /**
   * Answers a request whose body is not read (the connection cannot carry another request after it) and closes its
   * connection once the answer is written.
   */
  private static void refuse(RoutingContext ctx, ApiException error) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    ctx.addEndHandler(ended -> ctx.request().connection().close());
    ctx.fail(error);
  }

  /** The bytes a request reserves: none without a body. */
  private long reservation(HttpServerRequest request) {
    if (!WITH_BODIES.contains(request.method())) {
      return 0;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long most = limit.applyAsLong(request);
    if (length == null) {
      return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null ? 0 : most;
    }
    try {
      return Math.min(Math.max(0, Long.parseLong(length.trim())), most);
    } catch (NumberFormatException e) {
      return most;
    }
  }

  private synchronized boolean reserve(String address, long bytes) {
    long mine = heldByAddress.getOrDefault(address, 0L);
    if (held + bytes > total || mine + bytes > perAddress) {
      return false;
    }
    held += bytes;
    heldByAddress.put(address, mine + bytes);
    return true;
  }

  private synchronized void release(String address, long bytes) {
    held -= bytes;
    long left = heldByAddress.getOrDefault(address, 0L) - bytes;
    if (left > 0) {
      heldByAddress.put(address, left);
    } else {
      heldByAddress.remove(address);
    }
  }

  /** Bytes reserved now, for tests. */
  synchronized long held() {
    return held;
  }
}
