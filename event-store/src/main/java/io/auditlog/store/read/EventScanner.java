package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads a tenant's events newest first, one measurement at a time, in chunks. Each chunk continues from the oldest
 * time of the one before instead of an OFFSET, which InfluxDB would pay for by rereading everything it skips. Only
 * the current chunk is held in memory. Chunks are decoded and filtered on a worker pool, never on an event loop, one
 * chunk per task, so a long read takes turns with every other; a read past its deadline fails with 503
 * {@code query_timeout} and reads no further.
 */
public final class EventScanner {

  /**
   * The most rows one statement asks for. Each statement costs InfluxDB a cursor per series of its category, whatever
   * it returns, so a long scan goes faster in large chunks: a listing of ids, 40,000 to a statement, ran twice as fast
   * as 5,000 to a statement (docs/benchmarks.md).
   */
  static final int CHUNK = 40_000;
  /**
   * The first chunk of a reader: small, since a merge over many categories holds one chunk of each and a row may
   * hold hundreds of kilobytes; later chunks grow while they stay near {@link #CHUNK_BYTES}.
   */
  static final int FIRST_CHUNK = 20;
  /** The most bytes of InfluxDB's answer one chunk may hold. */
  static final int CHUNK_BYTES = 2 * 1024 * 1024;
  /**
   * The most rows and answer bytes the chunks of one read hold together: a merge over n categories gives each reader
   * a 1/n share (within {@link #FIRST_CHUNK} and {@link #CHUNK}, {@link #CHUNK_BYTES}), so the memory a listing holds
   * does not grow with the tenant's categories.
   */
  static final int READ_ROWS = 80_000;
  static final int READ_BYTES = 8 * 1024 * 1024;
  /**
   * The rows in one line of a streamed answer ({@link StreamedAnswer}). A statement costs InfluxDB about a read of
   * every series of its category whatever it returns, so a whole category read as one statement whose answer InfluxDB
   * streams goes several times faster than in statements of {@link #CHUNK} rows (docs/benchmarks.md).
   */
  static final int STREAMED_CHUNK = 5_000;
  /** Often enough that a chunk of the largest rows (2 MiB of 32 KiB rows is 64) is checked too. */
  private static final int ROWS_BETWEEN_DEADLINE_CHECKS = 16;

  private final InfluxQueries influx;
  private final TenantWorkers evaluation;
  private final ReadBudget budget;
  private final StreamPermits streams;

  public EventScanner(InfluxQueries influx, TenantWorkers evaluation, ReadBudget budget, StreamPermits streams) {
    this.influx = influx;
    this.evaluation = evaluation;
    this.budget = budget;
    this.streams = streams;
  }
  /**
   * What to read: the columns ({@code *}, or a list that includes {@code id}), a compiled condition (empty for
   * every point), the rows to keep from what it returns, and when to give up ({@link Instant#MAX}: never).
   */
  record Scan(InfluxQl columns, InfluxQl where, Predicate<InfluxEventStore.Row> keep, Instant deadline) {

    static Scan everyColumn(InfluxQl where, Predicate<InfluxEventStore.Row> keep, Instant deadline) {
      return new Scan(InfluxQl.sql("*"), where, keep, deadline);
    }

    /** Fails with 503 {@code query_timeout} once the deadline has passed. */
    void checkDeadline() {
      ReadBudget.checking(deadline).run();
    }
  }

  /** The tenant's event measurements: every measurement but the trail index; too many is a 422. */
  Future<List<String>> measurements(String tenant) {
    // One more than may be merged, plus the trail index: enough to tell "too many" without reading them all.
    return measurements(tenant, InfluxQl.sql("SHOW MEASUREMENTS LIMIT " + (budget.maxCategories() + 2)))
        .map(names -> {
          budget.checkCategories(names.size());
          return names;
        });
  }

  /** Every event measurement of the tenant, however many: for a reader that reads them a group at a time. */
  Future<List<String>> allMeasurements(String tenant) {
    return measurements(tenant, InfluxQl.sql("SHOW MEASUREMENTS"));
  }

  private Future<List<String>> measurements(String tenant, InfluxQl show) {
    return influx.run(tenant, show).map(result -> {
      List<String> names = new ArrayList<>();
      for (JsonNode row : result.path("series").path(0).path("values")) {
        String name = row.path(0).asText();
        if (!InfluxNames.TRAILS.equals(name)) {
          names.add(name);
        }
      }
      return names;
    });
  }

  /**
   * Hands the kept rows of one measurement to {@code sink}, newest first, until {@code limit} rows were kept
   * (negative: all of them); answers how many were kept.
   */
  Future<Long> scan(String tenant, String measurement, Scan scan, long limit, Consumer<InfluxEventStore.Row> sink) {
    return drain(new Reader(tenant, measurement, scan, 1, false), limit, sink);
  }

  /**
   * A reader of each measurement's kept rows, newest first, one chunk per {@link Reader#fetch()}, for a merge: they
   * share one read's rows and bytes. With {@code whole}, for a read of every row of a few narrow columns, each reader
   * reads its category as one streamed statement when a {@link StreamPermits permit} is free, else in statements.
   */
  List<Reader> readers(String tenant, List<String> measurements, Scan scan, boolean whole) {
    return measurements.stream()
        .map(measurement -> new Reader(tenant, measurement, scan, measurements.size(), whole))
        .toList();
  }

  private Future<Long> drain(Reader reader, long limit, Consumer<InfluxEventStore.Row> sink) {
    Promise<Long> done = Promise.promise();
    drain(reader, limit, sink, 0, done);
    return done.future();
  }

  /** One chunk, then the next from its completion (not inside it), so a long scan does not deepen the stack. */
  private void drain(Reader reader, long limit, Consumer<InfluxEventStore.Row> sink, long kept, Promise<Long> done) {
    reader.fetch().onComplete(read -> {
      if (read.failed()) {
        done.tryFail(read.cause());
        return;
      }
      long count = kept;
      try {
        for (InfluxEventStore.Row row = reader.rows().poll(); row != null; row = reader.rows().poll()) {
          sink.accept(row);
          if (++count == limit) {
            done.tryComplete(count);
            return;
          }
        }
      } catch (RuntimeException e) {
        done.tryFail(e);
        return;
      }
      if (reader.finished()) {
        done.tryComplete(count);
      } else {
        drain(reader, limit, sink, count, done);
      }
    });
  }

  /**
   * Reads one measurement a chunk at a time: the lines of one streamed statement, or statements in which each chunk
   * continues from the oldest time of the one before ({@code time <= cursor}, skipping the ids already read at that
   * time; a chunk whose rows all share the cursor's time is read again, twice as large). {@link #close()} ends a
   * stream however far it got.
   */
  final class Reader {

    private final String tenant;
    private final String measurement;
    private final Scan scan;
    private final int maxRows;
    private final int maxBytes;
    private final Deque<InfluxEventStore.Row> rows = new ArrayDeque<>();
    private Long cursor;
    private Set<String> seenAtCursor = Set.of();
    private int size = FIRST_CHUNK;
    private boolean finished;
    private boolean streamable;
    private StreamedAnswer stream;
    private boolean closed;

    private Reader(String tenant, String measurement, Scan scan, int sharing, boolean streamable) {
      this.tenant = tenant;
      this.measurement = measurement;
      this.scan = scan;
      this.streamable = streamable;
      this.maxRows = Math.max(FIRST_CHUNK, Math.min(CHUNK, READ_ROWS / sharing));
      this.maxBytes = Math.min(CHUNK_BYTES, READ_BYTES / sharing);
    }

    /** The kept rows read so far and not yet taken, newest first. */
    Deque<InfluxEventStore.Row> rows() {
      return rows;
    }

    /** True once the measurement has no more rows to read. */
    boolean finished() {
      return finished;
    }

    /** Reads the next chunk, adding its kept rows to {@link #rows()}; nothing once finished. */
    Future<Void> fetch() {
      if (finished) {
        return Future.succeededFuture();
      }
      try {
        scan.checkDeadline();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      if (stream != null) {
        return nextLine(stream);
      }
      if (streamable) {
        streamable = false;
        if (streams.tryTake(tenant)) {
          return openStream();
        }
      }
      return influx.measured(tenant, query(" LIMIT " + size), answer -> {
        read(answer.result().path("series").path(0), answer.bytes());
        return null;
      });
    }

    /** Sends the whole category as one streamed statement, holding a permit taken for it, and reads its first line. */
    private Future<Void> openStream() {
      return influx.stream(tenant, query(""), STREAMED_CHUNK, CHUNK_BYTES, scan.deadline(), () -> streams.give(tenant))
          .compose(answer -> {
            stream = answer;
            if (closed) {
              close();
              return Future.failedFuture(new StoreException("the read was closed"));
            }
            return nextLine(answer);
          });
    }

    /** Keeps the rows of the stream's next line (decoded off the event loop); after the last, checks the end. */
    private Future<Void> nextLine(StreamedAnswer answer) {
      return ReadBudget.within(answer.next(), scan.deadline())
          .compose(line -> line == null
              ? Future.failedFuture(new StoreException("InfluxDB's streamed answer ended before its last line"))
              : evaluation.execute(tenant, () -> {
                readLine(answer.decode(line));
                return null;
              }))
          .compose(v -> finished ? answer.confirmEnd() : Future.succeededFuture());
    }

    /** Ends a streamed statement still being read (giving back its permit and connection); idempotent. */
    void close() {
      closed = true;
      if (stream != null) {
        stream.close();
      }
    }

    /** The statement of the next chunk: the condition, below the cursor, newest first, then {@code limit}. */
    private InfluxQl query(String limit) {
      List<InfluxQl> conditions = new ArrayList<>();
      if (!scan.where().isEmpty()) {
        conditions.add(InfluxQl.sql("(").then(scan.where()).then(")"));
      }
      if (cursor != null) {
        conditions.add(InfluxQl.sql("time <= ").then(InfluxQl.integer(cursor)));
      }
      InfluxQl where = conditions.isEmpty() ? InfluxQl.sql("")
          : InfluxQl.sql(" WHERE ").then(InfluxQl.join(conditions, " AND "));
      return InfluxQl.sql("SELECT ").then(scan.columns()).then(" FROM ").then(InfluxQl.identifier(measurement))
          .then(where).then(" ORDER BY time DESC" + limit);
    }

    /** Keeps the rows of one line of the streamed statement; the last line finishes the read. */
    private void readLine(StreamedAnswer.Line line) {
      JsonNode series = line.result().path("series").path(0);
      SeriesRows seriesRows = SeriesRows.of(series.path("columns"));
      int read = 0;
      for (JsonNode values : series.path("values")) {
        if (++read % ROWS_BETWEEN_DEADLINE_CHECKS == 0) {
          scan.checkDeadline();
        }
        keep(seriesRows, seriesRows.row(values));
      }
      finished = line.last();
    }

    private void keep(SeriesRows seriesRows, Map<String, JsonNode> columnsOfRow) {
      InfluxEventStore.Row row = new InfluxEventStore.Row(measurement, columnsOfRow);
      if (seriesRows.whole(columnsOfRow) && scan.keep().test(row)) {
        rows.add(row);
      }
    }

    private void read(JsonNode series, int bytes) {
      SeriesRows seriesRows = SeriesRows.of(series.path("columns"));
      int read = 0;
      Long oldest = null;
      Set<String> seenAtOldest = new HashSet<>();
      for (JsonNode values : series.path("values")) {
        if (++read % ROWS_BETWEEN_DEADLINE_CHECKS == 0) {
          scan.checkDeadline();
        }
        Map<String, JsonNode> columnsOfRow = seriesRows.row(values);
        long time = StoredEvents.timeNanos(columnsOfRow);
        String id = columnsOfRow.containsKey(InfluxNames.FIELD_ID) ? columnsOfRow.get(InfluxNames.FIELD_ID).asText()
            : "";
        if (cursor != null && time == cursor && seenAtCursor.contains(id)) {
          continue;
        }
        if (oldest == null || time != oldest) {
          oldest = time;
          seenAtOldest = new HashSet<>();
        }
        seenAtOldest.add(id);
        keep(seriesRows, columnsOfRow);
      }
      if (read < size) {
        finished = true;
      } else if (oldest == null || oldest.equals(cursor)) {
        // The whole chunk shares the cursor's time: remember what it held and read a larger chunk there.
        Set<String> seen = new HashSet<>(seenAtCursor);
        seen.addAll(seenAtOldest);
        seenAtCursor = seen;
        size *= 2;
      } else {
        cursor = oldest;
        seenAtCursor = seenAtOldest;
        long fitting = maxBytes / Math.max(1, bytes / read);
        size = (int) Math.max(1, Math.min(Math.min(maxRows, size * 2L), fitting));
      }
    }
  }
}
