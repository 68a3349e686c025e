package io.auditlog.modsecurity;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads a serial log, back-to-back concurrent files or JSON lines, gzipped or not (detected from the bytes), as a
 * stream of entries. Sections are joined to their entry by boundary, so interleaved entries still parse. An entry
 * whose A is followed by no Z (a new A with its boundary, more than {@value #MAX_OPEN} entries open, or the end of the
 * stream) is rejected as {@code missing_z}; reading goes on at the next A.
 *
 * <p>Items come out when their entry completes, which is file order unless entries interleave. {@code index} is the
 * 1-based position of the entry's first line in the stream, {@code offset} the byte offset of that line (of the
 * decompressed stream). Read errors of the stream, a corrupt gzip stream included, surface as
 * {@link UncheckedIOException}.
 */
public final class BulkReader implements Iterator<BulkItem>, AutoCloseable {
  static final int MAX_OPEN = 64;
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private final InputStream in;
  private final Limits limits;
  private final Deque<BulkItem> ready = new ArrayDeque<>();
  private final Map<String, Pending> open = new LinkedHashMap<>();
  private Pending current;
  private int entries;
  private long position;
  private boolean ended;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lineOverlong;

  public BulkReader(InputStream in, Limits limits) {
    this.limits = limits;
    try {
      BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
      buffered.mark(2);
      boolean gzip = buffered.read() == GZIP_MAGIC_1 && buffered.read() == GZIP_MAGIC_2;
      buffered.reset();
      this.in = gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 64 * 1024), 64 * 1024) : buffered;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !ended) {
      readLine();
    }
    return !ready.isEmpty();
  }

  @Override
  public BulkItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readLine() {
    long start = position;
    lineLength = 0;
    lineOverlong = false;
    int b;
    try {
      while ((b = in.read()) >= 0) {
        position++;
        append((byte) b);
        if (b == '\n') {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (position == start) {
      ended = true;
      open.values().forEach(p -> reject(p, new EntryRejected("missing_z", "Entry has no Z section")));
      open.clear();
      return;
    }
    onLine(start);
  }

  private void append(byte b) {
    if (lineLength > limits.maxEntryBytes()) {
      lineOverlong = true;
      return;
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private void onLine(long offset) {
    int contentEnd = lineLength;
    if (contentEnd > 0 && line[contentEnd - 1] == '\n') {
      contentEnd--;
    }
    if (contentEnd > 0 && line[contentEnd - 1] == '\r') {
      contentEnd--;
    }
    String boundary = lineOverlong ? null : NativeSections.boundaryOf(line, 0, contentEnd);
    if (boundary != null) {
      onBoundary(boundary, NativeSections.letterOf(line, contentEnd), offset);
    } else if (current != null) {
      current.append(line, lineLength, lineOverlong, limits);
    } else if (startsJson()) {
      onJsonLine(offset);
    }
  }

  private void onBoundary(String boundary, String letter, long offset) {
    if (letter.equals("A")) {
      Pending previous = open.remove(boundary);
      if (previous != null) {
        reject(previous, new EntryRejected("missing_z", "Entry has no Z section"));
      }
      if (open.size() >= MAX_OPEN) {
        Pending oldest = open.values().iterator().next();
        open.remove(oldest.boundary);
        reject(oldest, new EntryRejected("missing_z", "Entry has no Z section"));
      }
      current = new Pending(boundary, ++entries, offset);
      open.put(boundary, current);
    } else {
      current = open.get(boundary);
    }
    if (current == null) {
      return;
    }
    current.append(line, lineLength, false, limits);
    if (letter.equals("Z")) {
      open.remove(boundary);
      complete(current);
      current = null;
    }
  }

  private void complete(Pending pending) {
    if (pending.tooLarge) {
      reject(pending, new EntryRejected("entry_too_large", "Entry is larger than " + limits.maxEntryBytes()
          + " bytes"));
      return;
    }
    try {
      ready.add(BulkItem.parsed(pending.index, pending.offset, EntryParser.parse(pending.bytes.toByteArray(), limits)));
    } catch (EntryRejected rejected) {
      reject(pending, rejected);
    }
  }

  private void onJsonLine(long offset) {
    int index = ++entries;
    try {
      if (lineOverlong) {
        throw new EntryRejected("entry_too_large", "Entry is larger than " + limits.maxEntryBytes() + " bytes");
      }
      ready.add(BulkItem.parsed(index, offset, EntryParser.parse(Arrays.copyOf(line, lineLength), limits)));
    } catch (EntryRejected rejected) {
      ready.add(BulkItem.rejected(index, offset, rejected, Optional.empty()));
    }
  }

  private boolean startsJson() {
    for (int i = 0; i < lineLength; i++) {
      if (line[i] == '{') {
        return true;
      }
      if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && (line[i] & 0xFF) != 0xEF
          && (line[i] & 0xFF) != 0xBB && (line[i] & 0xFF) != 0xBF) {
        return false;
      }
    }
    return false;
  }

  private void reject(Pending pending, EntryRejected rejected) {
    ready.add(BulkItem.rejected(pending.index, pending.offset, rejected, uniqueId(pending.bytes.toByteArray())));
  }

  /** The unique id of a pending entry's A line (the line after its A boundary), if it has one. */
  private static Optional<String> uniqueId(byte[] pending) {
    String[] lines = new String(pending, 0, Math.min(pending.length, 4096), StandardCharsets.UTF_8)
        .split("\\r?\\n", 3);
    try {
      return lines.length > 1 ? Optional.of(ALine.parse(lines[1]).uniqueId()) : Optional.empty();
    } catch (EntryRejected noId) {
      return Optional.empty();
    }
  }

  /** An entry whose A was read and whose Z was not yet. */
  private static final class Pending {
    final String boundary;
    final int index;
    final long offset;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean tooLarge;

    Pending(String boundary, int index, long offset) {
      this.boundary = boundary;
      this.index = index;
      this.offset = offset;
    }

    void append(byte[] line, int length, boolean overlong, Limits limits) {
      if (tooLarge || overlong || bytes.size() + length > limits.maxEntryBytes()) {
        tooLarge = true;
        bytes.reset();
        return;
      }
      bytes.write(line, 0, length);
    }
  }
}
