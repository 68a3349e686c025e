package io.auditlog.store.read;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Collects an InfluxDB answer up to {@link InfluxQueries#MAX_ANSWER_BYTES}; a larger one fails the read with 422
 * {@code query_too_large} as its bytes arrive, instead of filling the heap (a tenant's own events may hold hundreds of
 * kilobytes each).
 */
final class CappedBody implements WriteStream<Buffer> {

  private final Buffer body = Buffer.buffer();

  Buffer body() {
    return body;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (body.length() + data.length() > InfluxQueries.MAX_ANSWER_BYTES) {
      return Future.failedFuture(ReadBudget.ANSWER_TOO_LARGE);
    }
    body.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
