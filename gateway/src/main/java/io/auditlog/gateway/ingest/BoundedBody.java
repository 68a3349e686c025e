package io.auditlog.gateway.ingest;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body of at most {@code limit} bytes into memory; a longer one (by its {@code Content-Length} at
 * once, or as it arrives) fails with {@code tooLarge}, and the rest of it is not read.
 */
final class BoundedBody {

  private BoundedBody() {
  }

  static Future<Buffer> read(HttpServerRequest request, long limit, ApiException tooLarge) {
    String length = request.getHeader("Content-Length");
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
        && Long.parseLong(length) > limit) {
      return Future.failedFuture(tooLarge);
    }
    Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        request.pause();
        read.tryFail(tooLarge);
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(read::tryFail);
    request.endHandler(v -> read.tryComplete(body));
    request.resume();
    return read.future();
  }
}
