package io.auditlog.query.history;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * An answer's body, gzipped ({@code Content-Encoding: gzip}) when the request's {@code Accept-Encoding} accepts gzip,
 * written in pieces: each piece is compressed and flushed as it is written, so a streamed answer reaches the client
 * as it is produced. Each write's future completes once the piece is on its way, which is how a writer keeps pace
 * with the client.
 */
final class EncodedBody {

  private final HttpServerResponse response;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final ByteArrayOutputStream compressed;
  private final GZIPOutputStream gzip;

  private EncodedBody(HttpServerResponse response, boolean gzipped) {
    this.response = response;
    headers.put("Vary", "Accept-Encoding");
    if (gzipped) {
      headers.put("Content-Encoding", "gzip");
      compressed = new ByteArrayOutputStream();
      try {
        gzip = new GZIPOutputStream(compressed, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      compressed = null;
      gzip = null;
    }
  }

  /** The body of the answer to {@code request}, encoded as it accepts. */
  static EncodedBody of(HttpServerRequest request, HttpServerResponse response) {
    return new EncodedBody(response, acceptsGzip(request.getHeader("Accept-Encoding")));
  }

  /** Whether an {@code Accept-Encoding} value accepts gzip (or {@code *}) with a weight above zero. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
        return !zeroWeight(parts);
      }
    }
    return false;
  }

  private static boolean zeroWeight(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("q=")) {
        return parameter.substring(2).trim().matches("0(\\.0{0,3})?");
      }
    }
    return false;
  }

  /**
   * A header the answer gets with its first piece: until then the answer may still become an error, which must not
   * carry it.
   */
  EncodedBody header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Writes a piece; the first write makes the answer chunked. */
  Future<Void> write(byte[] bytes) {
    if (!response.headWritten()) {
      headers.forEach(response::putHeader);
      response.setChunked(true);
    }
    return response.write(encode(bytes, false));
  }

  /** Writes the last piece (possibly empty) and ends the answer. */
  Future<Void> end(byte[] bytes) {
    if (!response.headWritten()) {
      headers.forEach(response::putHeader);
    }
    return response.end(encode(bytes, true));
  }

  private Buffer encode(byte[] bytes, boolean last) {
    if (gzip == null) {
      return Buffer.buffer(bytes);
    }
    try {
      gzip.write(bytes);
      if (last) {
        gzip.finish();
      } else {
        gzip.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Buffer piece = Buffer.buffer(compressed.toByteArray());
    compressed.reset();
    return piece;
  }
}
