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
 * a failure, never a shorter result. A line longer than the cap fails the read with 422 {@code query_too_large}.
 * {@link #close()} gives the connection back at once, however far the answer got, and runs the close action once.
 */
final class StreamedAnswer {

  /** One line of the answer: its one result (a missing node when the database does not exist) and whether it ends. */
  record Line(JsonNode result, boolean last) {
  }

  /** How {@link RecordParser} reports a line over its cap. */
  private static final String TOO_LONG = "The current record is too long";

  private final Statement statement;
  private final HttpClientRequest request;
  private final RecordParser lines;
  private final Runnable onClose;
  private final Deque<Buffer> ready = new ArrayDeque<>();
  private Promise<Buffer> waiting;
  private Throwable failure;
  private boolean ended;
  private boolean closed;

  private StreamedAnswer(Statement statement, HttpClientRequest request, RecordParser lines, Runnable onClose) {
    this.statement = statement;
    this.request = request;
    this.lines = lines;
    this.onClose = onClose;
  }

  /**
   * Reads the answer to {@code request} as lines of at most {@code maxLineBytes}. An answer other than 200 (an error,
   * or a database that does not exist yet) is read whole, as the one line of the answer.
   */
  static Future<StreamedAnswer> of(Statement statement, HttpClientRequest request, HttpClientResponse response,
      int maxLineBytes, Runnable onClose) {
    if (response.statusCode() != 200) {
      return response.body().map(body -> {
        StreamedAnswer answer = new StreamedAnswer(statement, request, null, onClose);
        answer.ready.add(body);
        answer.ended = true;
        return answer;
      });
    }
    response.pause();
    RecordParser parser = RecordParser.newDelimited("\n", response).maxRecordSize(maxLineBytes);
    StreamedAnswer answer = new StreamedAnswer(statement, request, parser, onClose);
    parser.pause();
    parser.handler(answer::arrived);
    parser.endHandler(v -> answer.end());
    parser.exceptionHandler(answer::fail);
    return Future.succeededFuture(answer);
  }

  /** The next line, raw (decode it with {@link #decode}, off the event loop); a failure once the answer ended. */
  Future<Buffer> next() {
    if (!ready.isEmpty()) {
      return Future.succeededFuture(ready.poll());
    }
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    Promise<Buffer> promise = Promise.promise();
    waiting = promise;
    if (closed || lines == null) {
      end();
    } else {
      lines.fetch(1);
      if (ended && waiting == promise) {
        end();
      }
    }
    return promise.future();
  }

  /** One line's result, checked as any answer is ({@link StoreAnswer#result}). */
  Line decode(Buffer line) {
    JsonNode body = StoreAnswer.parse(line.getBytes());
    JsonNode result = StoreAnswer.result(statement, body);
    return new Line(result, !result.path("partial").asBoolean(false));
  }

  /** Gives the connection back (resetting it when the answer has not ended) and runs the close action, once. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      onClose.run();
    } finally {
      ready.clear();
      if (!ended) {
        request.reset();
      }
    }
  }

  private void arrived(Buffer line) {
    if (line.length() == 0) {
      lines.fetch(1);
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
   * The response has ended. Lines may still wait in the parser (it ends the stream even while it holds lines no one
   * asked for yet), so only a line asked for and not found is a failure.
   */
  private void end() {
    ended = true;
    Promise<Buffer> promise = waiting;
    waiting = null;
    if (promise != null) {
      promise.tryFail(new StoreException("InfluxDB's streamed answer ended before its last line"));
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
