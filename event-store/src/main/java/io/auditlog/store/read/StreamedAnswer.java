package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.store.Statement;
import io.auditlog.store.StoreAnswer;
import io.auditlog.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * InfluxDB's answer to one statement sent with {@code chunked=true}: one JSON line per chunk of rows, taken one at a
 * time ({@link #next()}), the response paused in between, so that a reader slower than InfluxDB holds one line, not
 * the whole answer. Every line but the last says {@code "partial":true}; an answer that ends before that last line is
 * a failure, never a shorter result, and so is a line after the last ({@link #confirmEnd()}). A line longer than the
 * cap fails the read with 422 {@code query_too_large}. The close action (giving back the read's permit) runs once,
 * when the response ends or when {@link #close()} gives the connection back, however far the answer got.
 */
final class StreamedAnswer {

  /** One line of the answer: its one result (a missing node when the database does not exist) and whether it ends. */
  record Line(JsonNode result, boolean last) {
  }

  /** How {@link RecordParser} reports a line over its cap. */
  private static final String TOO_LONG = "The current record is too long";
  /** The longest line after the last one that is read for InfluxDB's error message. */
  private static final int ERROR_LINE_BYTES = 64 * 1024;

  private final Statement statement;
  private final HttpClientRequest request;
  private final RecordParser lines;
  private final Runnable onClose;
  private final int maxLineBytes;
  private final Deque<Buffer> ready = new ArrayDeque<>();
  private Promise<Buffer> waiting;
  private Throwable failure;
  private boolean ended;
  private boolean closed;
  private boolean released;

  private StreamedAnswer(Statement statement, HttpClientRequest request, RecordParser lines, Runnable onClose,
      int maxLineBytes) {
    this.statement = statement;
    this.request = request;
    this.lines = lines;
    this.onClose = onClose;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Reads the answer to {@code request} as lines of at most {@code maxLineBytes}. An answer other than 200 (an error,
   * or a database that does not exist yet) is read whole, as the one line of the answer.
   */
  static Future<StreamedAnswer> of(Statement statement, HttpClientRequest request, HttpClientResponse response,
      int maxLineBytes, Runnable onClose) {
    if (response.statusCode() != 200) {
      return errorBody(request, response).map(body -> {
        StreamedAnswer answer = new StreamedAnswer(statement, request, null, onClose, maxLineBytes);
        answer.ready.add(body);
        answer.ended();
        return answer;
      });
    }
    response.pause();
    RecordParser parser = RecordParser.newDelimited("\n", response).maxRecordSize(maxLineBytes);
    StreamedAnswer answer = new StreamedAnswer(statement, request, parser, onClose, maxLineBytes);
    parser.pause();
    parser.handler(answer::arrived);
    parser.endHandler(v -> answer.ended());
    parser.exceptionHandler(answer::fail);
    return Future.succeededFuture(answer);
  }

  /** The body of an answer other than 200, InfluxDB's error: at most {@link #ERROR_LINE_BYTES}. */
  private static Future<Buffer> errorBody(HttpClientRequest request, HttpClientResponse response) {
    Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > ERROR_LINE_BYTES) {
        read.tryFail(new StoreException("InfluxDB answered " + response.statusCode() + " with more than "
            + ERROR_LINE_BYTES + " bytes"));
        request.reset();
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(read::tryFail);
    response.endHandler(v -> read.tryComplete(body));
    return read.future();
  }

  /**
   * The next line, raw (decode it with {@link #decode}, off the event loop); {@code null} once the answer has ended.
   */
  Future<Buffer> next() {
    if (!ready.isEmpty()) {
      return Future.succeededFuture(ready.poll());
    }
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (closed) {
      return Future.failedFuture(new StoreException("the streamed answer was closed"));
    }
    if (lines == null) {
      return Future.succeededFuture();
    }
    Promise<Buffer> promise = Promise.promise();
    waiting = promise;
    lines.fetch(1);
    if (ended && waiting == promise) {
      ended();
    }
    return promise.future();
  }

  /** One line's result, checked as any answer is ({@link StoreAnswer#result}). */
  Line decode(Buffer line) {
    JsonNode body = StoreAnswer.parse(line.getBytes());
    JsonNode result = StoreAnswer.result(statement, body);
    return new Line(result, !result.path("partial").asBoolean(false));
  }

  /**
   * After the last line: succeeds when the answer ends there. A line after it fails the read: InfluxDB, when it stops
   * a statement midway (killed, timed out, shut down), sends the rows it had as a line without {@code "partial"} and
   * then its error, so a last line is only the last once nothing follows.
   */
  Future<Void> confirmEnd() {
    return next().compose(line -> line == null ? Future.succeededFuture() : Future.failedFuture(afterLast(line)));
  }

  private StoreException afterLast(Buffer line) {
    if (line.length() <= ERROR_LINE_BYTES) {
      try {
        decode(line);
      } catch (StoreException error) {
        return error;
      }
    }
    return new StoreException("InfluxDB sent more after the last line of its answer");
  }

  /** Gives the connection back (resetting it when the answer has not ended) and the permit, once. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    ready.clear();
    try {
      release();
    } finally {
      if (!ended) {
        request.reset();
      }
    }
  }

  private void release() {
    if (!released) {
      released = true;
      onClose.run();
    }
  }

  private void arrived(Buffer line) {
    if (line.length() == 0) {
      // InfluxDB ends every line with one newline and sends no empty ones: anything else is not its answer.
      fail(new StoreException("an empty line in InfluxDB's streamed answer"));
      return;
    }
    if (line.length() > maxLineBytes) {
      // The parser's own cap only sees a line still incomplete; one that arrived whole is checked here.
      fail(ReadBudget.LINE_TOO_LARGE);
      return;
    }
    Promise<Buffer> promise = waiting;
    waiting = null;
    if (promise == null) {
      ready.add(line);
    } else {
      promise.tryComplete(line);
    }
  }

  /**
   * The response has ended: its connection is back in the pool, so its permit is given back at once, even if its
   * reader holds on to the lines still waiting in the parser (which ends the stream even while it holds lines no one
   * asked for yet); a line asked for and not found is the end of the answer.
   */
  private void ended() {
    ended = true;
    release();
    Promise<Buffer> promise = waiting;
    waiting = null;
    if (promise != null) {
      promise.tryComplete(null);
    }
  }

  private void fail(Throwable cause) {
    Throwable reason = TOO_LONG.equals(cause.getMessage()) ? ReadBudget.LINE_TOO_LARGE : cause;
    if (failure == null) {
      failure = reason;
    }
    Promise<Buffer> promise = waiting;
    waiting = null;
    if (promise != null) {
      promise.tryFail(reason);
    }
  }
}
