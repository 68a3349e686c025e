package io.auditlog.store.read;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The kept rows of several measurements, newest first over all of them: a merge of their readers that holds at most
 * one chunk of each in memory, so a listing of a tenant's whole history streams instead of piling up.
 */
public final class NewestFirst {

  private final List<EventScanner.Reader> readers;

  NewestFirst(List<EventScanner.Reader> readers) {
    this.readers = readers;
  }

  /**
   * Hands the newest {@code limit} rows (all of them when negative) to {@code sink}, newest first, and answers how
   * many. Before each read from InfluxDB it waits for {@code beforeRead}: the caller's moment to write out what it
   * was handed, so that a slow reader of the answer slows the scan instead of filling memory. However it ends, the
   * readers' streamed statements are closed.
   */
  Future<Long> forEach(long limit, Consumer<InfluxEventStore.Row> sink, Supplier<Future<Void>> beforeRead) {
    Future<Long> handed = limit == 0 ? Future.succeededFuture(0L) : step(limit, sink, beforeRead, 0);
    return handed.onComplete(done -> readers.forEach(EventScanner.Reader::close));
  }

  private Future<Long> step(long limit, Consumer<InfluxEventStore.Row> sink, Supplier<Future<Void>> beforeRead,
      long handed) {
    for (EventScanner.Reader reader : readers) {
      if (reader.rows().isEmpty() && !reader.finished()) {
        return beforeRead.get().compose(v -> reader.fetch()).compose(v -> step(limit, sink, beforeRead, handed));
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
        return Future.succeededFuture(count);
      }
      sink.accept(newest.rows().poll());
      if (++count == limit) {
        return Future.succeededFuture(count);
      }
      if (newest.rows().isEmpty() && !newest.finished()) {
        return step(limit, sink, beforeRead, count);
      }
    }
  }
}
