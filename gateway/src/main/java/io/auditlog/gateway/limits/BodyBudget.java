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
 * with {@code Retry-After}, the rest of its body unread. Without it, 450 connections each sending a body one byte short
 * of 1 MiB, with no credentials at all, ran a 512 MiB gateway out of heap within three seconds; reserving a body's
 * declared length before it arrived let a few hundred request heads, without a byte of body, refuse every other
 * client's POST.
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

  /** One body being read: the bytes it took, and whether they were given back (after which it takes no more). */
  private static final class Taken {
    long bytes;
    boolean givenBack;
  }

  /**
   * Reads a request's body into memory: at most {@code limit} bytes ({@code tooLarge} at once by its
   * {@code Content-Length}, or as it arrives), each chunk taken from the budget as it arrives, and whole within
   * {@code timeout} (408). On any of these failures the rest of the body is not read, and the connection is closed
   * after the answer, since it cannot carry another request. The bytes are given back when the answer ends.
   */
  public Future<Buffer> read(RoutingContext ctx, long limit, ApiException tooLarge, Duration timeout) {
    HttpServerRequest request = ctx.request();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && !length.isEmpty() && length.length() < 19 && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > limit) {
      closeAfterAnswer(ctx);
      return Future.failedFuture(tooLarge);
    }
    String address = ClientAddress.of(request);
    Taken taken = new Taken();
    ctx.addEndHandler(ended -> {
      if (!taken.givenBack) {
        taken.givenBack = true;
        give(address, taken.bytes);
      }
    });
    Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    long timer = ctx.vertx().setTimer(timeout.toMillis(), fired -> refuse(ctx, read, ApiException.of(408,
        "body_timeout", "The request body did not arrive within " + timeout.toSeconds() + " s.")));
    read.future().onComplete(done -> ctx.vertx().cancelTimer(timer));
    request.handler(chunk -> {
      if (read.future().isComplete() || taken.givenBack) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        refuse(ctx, read, tooLarge);
      } else if (!take(address, chunk.length())) {
        refuse(ctx, read, ApiException.unavailable("too_many_bodies", "The gateway holds as many request bodies as "
            + "it may at once; retry shortly.", 1));
      } else {
        taken.bytes += chunk.length();
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(read::tryFail);
    request.endHandler(v -> read.tryComplete(body));
    request.resume();
    return read.future();
  }

  private static void refuse(RoutingContext ctx, Promise<Buffer> read, ApiException error) {
    if (!read.future().isComplete()) {
      ctx.request().pause();
      closeAfterAnswer(ctx);
      read.tryFail(error);
    }
  }

  private static void closeAfterAnswer(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    ctx.addEndHandler(ended -> ctx.request().connection().close());
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
