package io.auditlog.gateway.ingest;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body as a blocking {@link InputStream}, for a worker thread: the request stays paused until the thread
 * first reads (a back-fill waiting for a thread holds none of its body: 116 of them, 4.8 MB each, once ran the gateway
 * out of heap), then the event loop queues what arrives and pauses the request while more than {@code HIGH_WATER}
 * bytes wait; reading resumes it. More than {@code limit}
 * bytes in all fail the read with {@link TooLarge}; a body that stops arriving for {@code idle}, or that has not
 * ended {@code duration} after the start, fails it with {@link TimedOut}.
 */
final class BodyStream extends InputStream {

  private static final int HIGH_WATER = 1024 * 1024;
  private static final Object END = new Object();

  /** The body went beyond its limit. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("request body too large", null);
    }
  }

  /** The body paused for longer than allowed, or took longer than allowed in all. */
  static final class TimedOut extends IOException {
    TimedOut(String message) {
      super(message, null);
    }
  }

  private final HttpServerRequest request;
  private final Context context;
  private final long limit;
  private final Duration idle;
  private final long deadline;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong waiting = new AtomicLong();
  private volatile boolean paused = true;
  private Buffer current = Buffer.buffer();
  private int position;
  private long total;
  private boolean ended;

  private BodyStream(HttpServerRequest request, Context context, long limit, Duration idle, Duration duration) {
    this.request = request;
    this.context = context;
    this.limit = limit;
    this.idle = idle;
    this.deadline = System.nanoTime() + duration.toNanos();
  }

  /** Reads {@code request} from the first {@link #read}; call on its event loop. */
  static BodyStream of(HttpServerRequest request, Context context, long limit, Duration idle, Duration duration) {
    BodyStream stream = new BodyStream(request, context, limit, idle, duration);
    request.handler(chunk -> {
      stream.queue.add(chunk);
      if (stream.waiting.addAndGet(chunk.length()) > HIGH_WATER) {
        stream.paused = true;
        request.pause();
      }
    });
    request.exceptionHandler(stream.queue::add);
    request.endHandler(v -> stream.queue.add(END));
    request.pause();
    return stream;
  }

  /** True once the body's time in all has passed, whether or not it has all come. */
  boolean overtime() {
    return deadline - System.nanoTime() <= 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (position == current.length()) {
      if (ended) {
        return -1;
      }
      next();
    }
    int n = Math.min(length, current.length() - position);
    current.getBytes(position, position + n, target, offset);
    position += n;
    return n;
  }

  private void next() throws IOException {
    if (paused && waiting.get() <= HIGH_WATER / 2) {
      paused = false;
      context.runOnContext(v -> request.resume());
    }
    long left = deadline - System.nanoTime();
    Object item;
    try {
      item = left <= 0 ? null : queue.poll(Math.min(idle.toNanos(), left), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the request body", e);
    }
    if (item == null) {
      throw new TimedOut(left <= idle.toNanos() ? "the request body took too long" : "the request body paused");
    }
    if (item == END) {
      ended = true;
      return;
    }
    if (item instanceof Throwable error) {
      throw new IOException("the request body could not be read", error);
    }
    current = (Buffer) item;
    position = 0;
    total += current.length();
    if (total > limit) {
      throw new TooLarge();
    }
    waiting.addAndGet(-current.length());
  }
}
