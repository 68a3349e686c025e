package io.auditlog.gateway.limits;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of request bodies the gateway holds at once, shared by all its event loops: in all, and per client address
 * (an eighth each). A body's bytes are taken as they arrive and given back when its request's answer ends or its
 * connection closes, so a request costs nothing until its body does; one whose next bytes do not fit is answered 503
 * with {@code Retry-After}, the rest of its body dropped as it arrives. Without it, 450 connections each sending a
 * body one byte short of 1 MiB, with no credentials at all, ran a 512 MiB gateway out of heap within three seconds;
 * reserving a body's declared length before it arrived let a few hundred request heads, without a byte of body,
 * refuse every other client's POST.
 */
public final class BodyBudget {

  /** A client address may hold this share of the budget. */
  public static final int ADDRESS_SHARES = 8;

  private final long total;
  private final long perAddress;
  private final Map<String, Long> heldByAddress = new HashMap<>();
  private long held;

  public BodyBudget(long total) {
    this.total = total;
    this.perAddress = total / ADDRESS_SHARES;
  }

  /** One body being read: what arrived, the bytes it took, and whether they were given back (it takes no more). */
  private static final class Reading {
    final Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    long taken;
    boolean givenBack;
  }

  /**
   * Reads a request's body into memory: at most {@code limit} bytes ({@code tooLarge} at once by its
   * {@code Content-Length}, or as it arrives), each chunk taken from the budget as it arrives, and whole within
   * {@code timeout}. A body refused for its size or the budget is answered at once and the rest of it read and dropped
   * (holding nothing), so that the client reads the answer; one not whole in time is a 408 and its connection closed,
   * as is the connection of a refused body whose rest does not arrive in time. The bytes are given back when the
   * answer ends.
   */
  public Future<Buffer> read(RoutingContext ctx, long limit, ApiException tooLarge, Duration timeout) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && !length.isEmpty() && length.length() < 19 && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > limit) {
      return Future.failedFuture(tooLarge);
    }
    String address = ClientAddress.of(request);
    Reading reading = new Reading();
    ctx.addEndHandler(ended -> {
      if (!reading.givenBack) {
        reading.givenBack = true;
        give(address, reading.taken);
      }
    });
    long timer = ctx.vertx().setTimer(timeout.toMillis(), fired -> {
      if (reading.read.future().isComplete()) {
        request.connection().close();
        return;
      }
      reading.body = null;
      request.pause();
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(ended -> request.connection().close());
      reading.read.fail(ApiException.of(408, "body_timeout", "The request body did not arrive within "
          + timeout.toSeconds() + " s."));
    });
    request.handler(chunk -> {
      if (reading.body == null || reading.givenBack) {
        return;
      }
      if (reading.body.length() + chunk.length() > limit) {
        drop(reading, tooLarge);
      } else if (!take(address, chunk.length())) {
        drop(reading, ApiException.unavailable("too_many_bodies", "The gateway holds as many request bodies as it "
            + "may at once; retry shortly.", 1));
      } else {
        reading.taken += chunk.length();
        reading.body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(reading.read::tryFail);
    request.endHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      if (reading.body != null) {
        reading.read.tryComplete(reading.body);
      }
    });
    request.resume();
    return reading.read.future();
  }

  /** Refuses a body as it arrives: what arrived is let go, and the rest is read and dropped. */
  private static void drop(Reading reading, ApiException error) {
    reading.body = null;
    reading.read.tryFail(error);
  }

  private synchronized boolean take(String address, long bytes) {
    long mine = heldByAddress.getOrDefault(address, 0L);
    if (held + bytes > total || mine + bytes > perAddress) {
      return false;
    }
    held += bytes;
    heldByAddress.put(address, mine + bytes);
    return true;
  }

  private synchronized void give(String address, long bytes) {
    if (bytes == 0) {
      return;
    }
    held -= bytes;
    long left = heldByAddress.getOrDefault(address, 0L) - bytes;
    if (left > 0) {
      heldByAddress.put(address, left);
    } else {
      heldByAddress.remove(address);
    }
  }
}
