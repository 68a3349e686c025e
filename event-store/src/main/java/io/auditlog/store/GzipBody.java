package io.auditlog.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The body of a write: lines, one per line, gzip-compressed into chunks of 64 KiB that the HTTP client sends one after
 * the other (in its own buffers of 16 KiB), with their total length. A batch of thousands of events compresses to a
 * megabyte or more; kept in one array, grown by doubling and copied once more at the end, it was the worker's largest
 * allocation, and an array over half a heap region is allocated outside the young generation.
 */
final class GzipBody {

  static final int CHUNK = 64 * 1024;

  private GzipBody() {
  }

  static HttpRequest.BodyPublisher of(List<String> lines) {
    Chunks chunks = new Chunks();
    try (GZIPOutputStream out = new GZIPOutputStream(chunks, CHUNK)) {
      for (String line : lines) {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(chunks.all()),
        chunks.length());
  }

  /** An output stream into chunks of {@link #CHUNK} bytes, never copied to grow. */
  static final class Chunks extends OutputStream {
    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[CHUNK];
    private int used;

    @Override
    public void write(int b) {
      roomForMore();
      current[used++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int count) {
      int from = offset;
      int left = count;
      while (left > 0) {
        roomForMore();
        int n = Math.min(left, current.length - used);
        System.arraycopy(bytes, from, current, used, n);
        used += n;
        from += n;
        left -= n;
      }
    }

    /** Starts a new chunk when the current one is full. */
    private void roomForMore() {
      if (used == current.length) {
        full.add(current);
        current = new byte[CHUNK];
        used = 0;
      }
    }

    /** The chunks written, the last one cut to what it holds. */
    List<byte[]> all() {
      List<byte[]> all = new ArrayList<>(full);
      if (used > 0) {
        all.add(Arrays.copyOf(current, used));
      }
      return all;
    }

    long length() {
      return (long) full.size() * CHUNK + used;
    }
  }
}
