package io.auditlog.gateway.limits;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of request bodies the gateway holds at once, shared by all its event loops: in all, and per client address
 * (an eighth each). A body's bytes are taken as they arrive and given back when its request's answer ends or its
 * connection closes (the request then lets go of the body), so a request costs nothing until its body does; one whose
 * next bytes do not fit is answered 503 with {@code Retry-After}, the rest of its body dropped as it arrives. Without
 * it, 450 connections each sending a body one byte short of 1 MiB, with no credentials at all, ran a 512 MiB gateway
 * out of heap within three seconds; reserving a body's declared length before it arrived let a few hundred request
 * heads, without a byte of body, refuse every other client's POST.
 */
public final class BodyBudget {

  /** What a request whose connection closed before its answer fails with; no one reads it. */
  public static final ApiException CONNECTION_CLOSED = ApiException.of(400, "connection_closed",
      "The connection closed before the answer.");

  /** What a request whose body, or the tree made of it, does not fit fails with. */
  public static final ApiException FULL = ApiException.unavailable("too_many_bodies",
      "The gateway holds as many request bodies as it may at once; retry shortly.", 1);

  /** The reading of a request's body, kept in its context for {@link #takeMore}. */
  private static final String READING = BodyBudget.class.getName() + ".reading";

  /** Marks a request whose connection closes once its refused body has come. */
  private static final String REFUSED_UNREAD = BodyBudget.class.getName() + ".refusedUnread";

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

  /**
   * One body being read: its chunks so far (null once it is whole or let go), the bytes it took, and whether they were
   * given back (it takes no more). Chunks are kept as they came and joined once, at the end, into a buffer of the
   * body's exact size: a buffer grown as chunks arrive holds up to twice what it was given, and the heap's large
   * arrays more. Once whole, the body belongs to the request's context, and the reading lets go of it and of the
   * settled promise (whose value it is): the request's handlers keep the reading for as long as the request lives.
   */
  private static final class Reading {
    final String address;
    private Promise<Buffer> read = Promise.promise();
    private List<byte[]> chunks = new ArrayList<>();
    private int length;
    long taken;
    boolean givenBack;

    Reading(String address) {
      this.address = address;
    }

    boolean settled() {
      return read == null;
    }

    boolean open() {
      return chunks != null;
    }

    int length() {
      return length;
    }

    void append(Buffer chunk) {
      chunks.add(chunk.getBytes());
      length += chunk.length();
    }

    /** What arrived is let go; what still arrives is dropped. */
    void letGo() {
      chunks = null;
    }

    void complete() {
      Buffer whole = Buffer.buffer(length);
      chunks.forEach(whole::appendBytes);
      chunks = null;
      Promise<Buffer> promise = read;
      read = null;
      promise.complete(whole);
    }

    void fail(Throwable error) {
      if (read != null) {
        Promise<Buffer> failed = read;
        read = null;
        failed.fail(error);
      }
    }
  }

  /**
   * Reads a request's body into memory: at most {@code limit} bytes ({@code tooLarge} at once by its
   * {@code Content-Length}, or as it arrives), each chunk taken from the budget as it arrives, and whole within
   * {@code timeout}. A body refused for its size or the budget is answered at once and the rest of it read and dropped
   * (holding nothing), so that the client reads the answer; one not whole in time is a 408 and its connection closed,
   * as is the connection of a refused body whose rest does not arrive in time. The bytes are given back when the
   * answer ends. A client that asked to be told to send its body ({@code Expect: 100-continue}) is told so here, unless
   * it declared one over the limit: a 413 comes instead, and it sends nothing.
   */
  public Future<Buffer> read(RoutingContext ctx, long limit, ApiException tooLarge, Duration timeout) {
    HttpServerRequest request = ctx.request();
    if (declaredOver(request, limit)) {
      refusedUnread(ctx, timeout);
      return Future.failedFuture(tooLarge);
    }
    String address = ClientAddress.of(request);
    Reading reading = new Reading(address);
    ctx.put(READING, reading);
    Future<Buffer> read = reading.read.future();
    long timer = ctx.vertx().setTimer(timeout.toMillis(), fired -> {
      if (reading.settled()) {
        request.connection().close();
        return;
      }
      reading.letGo();
      request.pause();
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(ended -> request.connection().close());
      reading.fail(ApiException.of(408, "body_timeout", "The request body did not arrive within "
          + timeout.toSeconds() + " s."));
    });
    request.handler(chunk -> {
      if (!reading.open() || reading.givenBack) {
        return;
      }
      if ((long) reading.length() + chunk.length() > limit) {
        drop(reading, tooLarge);
      } else if (!take(address, chunk.length())) {
        drop(reading, FULL);
      } else {
        reading.taken += chunk.length();
        reading.append(chunk);
      }
    });
    ctx.addEndHandler(ended -> {
      if (!ctx.response().ended()) {
        ctx.vertx().cancelTimer(timer);
        drop(reading, CONNECTION_CLOSED);
      }
      letGo(ctx);
      if (!reading.givenBack) {
        reading.givenBack = true;
        give(address, reading.taken);
      }
    });
    request.exceptionHandler(reading::fail);
    request.endHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      if (reading.open()) {
        reading.complete();
      }
    });
    if (expectsContinue(request)) {
      // The client waits for this before it sends the body (curl does, for a second, past 1 KiB).
      ctx.response().writeContinue();
    }
    request.resume();
    return read;
  }

  /**
   * Takes {@code bytes} more for a request whose body {@link #read} read, given back with the body's when its answer
   * ends: what the body makes once parsed, beyond its bytes. False, taking nothing, when they do not fit the budget or
   * the address's share. On the request's event loop.
   */
  public boolean takeMore(RoutingContext ctx, long bytes) {
    Reading reading = ctx.get(READING);
    if (reading == null || reading.givenBack || bytes <= 0) {
      return true;
    }
    if (!take(reading.address, bytes)) {
      return false;
    }
    reading.taken += bytes;
    return true;
  }

  /**
   * The answer ended or the connection closed: the request lets go of its body, so that the bytes given back are no
   * longer held. A route still at work on it (waiting for a key's owner, say, or for a thread to read it on) would
   * otherwise hold them, and so would a connection that keeps its last request: clients that sent bodies and closed
   * their connections at once, from eight addresses, ran the gateway out of heap in seconds, with no credentials, while
   * the budget counted nothing held.
   */
  private static void letGo(RoutingContext ctx) {
    ((RoutingContextInternal) ctx).setBody(null);
    ctx.request().formAttributes().clear();
    ctx.request().params().clear();
  }

  /**
   * A request answered before its body was read (it declared one over the limit, or its credentials were refused
   * first), and its connection closed after the answer: Vert.x keeps a connection whose answer ended before its request
   * did, so one that declared 10 MiB waited, unread, until the idle timeout. What arrives of the body is dropped as it
   * comes, held nowhere, until it has all come (the connection then closes), or for {@code timeout} at most: closing
   * while the body still arrives resets the connection, and a client that sends its whole body before it reads (the
   * JDK's does), or that sends it without waiting for the {@code 100 Continue} it asked for (curl does, after a second),
   * never reads the answer. The timer holds the connection only, not the request. Called again for the same request, it
   * does nothing more.
   */
  public static void refusedUnread(RoutingContext ctx, Duration timeout) {
    if (ctx.get(REFUSED_UNREAD) != null) {
      return;
    }
    ctx.put(REFUSED_UNREAD, true);
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    ctx.addEndHandler(ended -> {
      if (request.isEnded()) {
        connection.close();
      }
    });
    if (request.isEnded()) {
      return;
    }
    long timer = ctx.vertx().setTimer(timeout.toMillis(), fired -> connection.close());
    request.handler(chunk -> { });
    request.endHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      if (ctx.response().ended()) {
        connection.close();
      }
    });
    request.resume();
  }

  /** Whether the client waits to be told to send its body: an HTTP/1.0 client's expectation is ignored (RFC 9110). */
  private static boolean expectsContinue(HttpServerRequest request) {
    return request.version() == HttpVersion.HTTP_1_1
        && HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
  }

  private static boolean declaredOver(HttpServerRequest request, long limit) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length != null && !length.isEmpty() && length.length() < 19 && length.chars().allMatch(Character::isDigit)
        && Long.parseLong(length) > limit;
  }

  /** Refuses a body as it arrives: what arrived is let go, and the rest is read and dropped. */
  private static void drop(Reading reading, ApiException error) {
    reading.letGo();
    reading.fail(error);
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
