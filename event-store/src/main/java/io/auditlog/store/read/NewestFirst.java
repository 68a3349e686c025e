package io.auditlog.store.read;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The kept rows of several measurements, newest first over all of them: a merge of their readers that holds at most
 * one chunk of each in memory, so a listing of a tenant's whole history streams instead of piling up.
 */
public final class NewestFirst {

  private final List<EventScanner.Reader> readers;
  private final Instant deadline;

  /** A merge of {@code readers}, waiting for its caller's writes until {@code deadline} ({@link Instant#MAX}: ever). */
  NewestFirst(List<EventScanner.Reader> readers, Instant deadline) {
    this.readers = readers;
    this.deadline = deadline;
  }

  /**
   * Hands the newest {@code limit} rows (all of them when negative) to {@code sink}, newest first, and answers how
   * many. Before each read from InfluxDB it waits for {@code beforeRead}: the caller's moment to write out what it
   * was handed, so that a slow reader of the answer slows the scan instead of filling memory, until the deadline: a
   * reader that stops reading ends the read there (503 {@code query_timeout}) instead of holding its streams. However
   * it ends, the readers' streamed statements are closed.
   */
  Future<Long> forEach(long limit, Consumer<InfluxEventStore.Row> sink, Supplier<Future<Void>> beforeRead) {
    Promise<Long> handed = Promise.promise();
    if (limit == 0) {
      handed.complete(0L);
    } else {
      step(limit, sink, beforeRead, 0, handed);
    }
    return handed.future().onComplete(done -> readers.forEach(EventScanner.Reader::close));
  }

  /**
   * Merges until a reader needs its next chunk, and goes on once it has it. Each step starts from a completed read,
   * not inside the one before, so a read of many thousands of chunks deepens neither the stack nor a chain of futures.
   */
  private void step(long limit, Consumer<InfluxEventStore.Row> sink, Supplier<Future<Void>> beforeRead, long handed,
      Promise<Long> done) {
    try {
      for (EventScanner.Reader reader : readers) {
        if (reader.rows().isEmpty() && !reader.finished()) {
          ReadBudget.within(beforeRead.get(), deadline).compose(v -> reader.fetch()).onComplete(read -> {
            if (read.failed()) {
              done.tryFail(read.cause());
            } else {
              step(limit, sink, beforeRead, handed, done);
            }
          });
          return;
        }
      }
      long count = handed;
      while (true) {
        EventScanner.Reader newest = null;
        long newestTime = Long.MIN_VALUE;
        for (EventScanner.Reader reader : readers) {
          InfluxEventStore.Row head = reader.rows().peek();
          long time = head == null ? Long.MIN_VALUE : StoredEvents.timeNanos(head.columns());
          if (head != null && (newest == null || time > newestTime)) {
            newest = reader;
            newestTime = time;
          }
        }
        if (newest == null) {
          done.tryComplete(count);
          return;
        }
        sink.accept(newest.rows().poll());
        if (++count == limit) {
          done.tryComplete(count);
          return;
        }
        if (newest.rows().isEmpty() && !newest.finished()) {
          step(limit, sink, beforeRead, count, done);
          return;
        }
      }
    } catch (RuntimeException e) {
      done.tryFail(e);
    }
  }
}
