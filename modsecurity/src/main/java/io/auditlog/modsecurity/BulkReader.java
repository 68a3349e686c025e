package io.auditlog.modsecurity;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads a serial log, back-to-back concurrent files or JSON lines, gzipped or not (detected from the bytes), as a
 * stream of entries, in order. A native entry runs from its A line to the Z line with its boundary; lines with other
 * boundaries inside it are text (a logged body may hold any line), so entries are not interleaved. An entry that
 * reaches a new A with its boundary or the end of the stream without its Z is rejected ({@code missing_z}, or
 * {@code entry_too_large} when it outgrew the entry limit), and reading resumes at the first A line of another
 * boundary seen inside it, so entries after a truncated one are still read. An entry over the limit is rejected as
 * {@code entry_too_large}; at most one entry is held, and only up to the limit.
 *
 * <p>{@code index} is the 1-based position of the entry in the stream, {@code offset} the byte offset of its first
 * line (of the decompressed stream). Read errors of the stream, a corrupt gzip stream included, surface as
 * {@link UncheckedIOException}.
 */
public final class BulkReader implements Iterator<BulkItem>, AutoCloseable {
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;
  private static final int LINE_BUFFER_KEPT = 64 * 1024;
  private static final byte[] NONE = new byte[0];

  private final InputStream in;
  private final Limits limits;
  private final Deque<BulkItem> ready = new ArrayDeque<>();
  private OpenEntry current;
  private int entries;
  private long position;
  private long bytesRead;
  /** Bytes of abandoned entries read again. */
  private long readAgain;
  /**
   * Whether an A line of another boundary ends the entry it is in, as after a writer that died mid-entry, rather than
   * being text of it (as in a logged body): from when what is read again would pass the stream's own bytes on.
   */
  private boolean flat;
  private boolean ended;
  /** What is read again before the stream, first to last: each array from its start. */
  private final Deque<Again> again = new ArrayDeque<>();
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

  /** The bytes read from the stream so far, after decompression. */
  public long bytesRead() {
    return bytesRead;
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
    if (line.length > LINE_BUFFER_KEPT) {
      line = new byte[256];
    }
    int b;
    while ((b = read()) >= 0) {
      position++;
      append((byte) b);
      if (b == '\n') {
        break;
      }
    }
    if (position > start) {
      onLine(start);
    } else if (current != null) {
      abandon(false);
    } else {
      ended = true;
    }
  }

  /** Bytes to read again, from {@code at} on. */
  private static final class Again {
    final byte[] bytes;
    int at;

    Again(byte[] bytes) {
      this.bytes = bytes;
    }
  }

  private int read() {
    while (!again.isEmpty()) {
      Again first = again.peekFirst();
      if (first.at < first.bytes.length) {
        return first.bytes[first.at++] & 0xFF;
      }
      again.pollFirst();
    }
    try {
      int b = in.read();
      bytesRead += b < 0 ? 0 : 1;
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void append(byte b) {
    if (lineLength == limits.maxEntryBytes()) {
      lineOverlong = true;
      return;
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, Math.min(limits.maxEntryBytes(), line.length * 2));
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
    boolean isA = boundary != null && NativeSections.letterOf(line, contentEnd).equals("A");
    if (current == null && isA) {
      current = new OpenEntry(boundary, ++entries, offset, limits.maxEntryBytes());
      current.append(line, lineLength, false, false);
    } else if (current == null) {
      if (boundary == null && startsJson()) {
        onJsonLine(offset);
      }
    } else if (!current.boundary.equals(boundary) && !(isA && flat)) {
      current.append(line, lineLength, lineOverlong, isA);
    } else if (isA) {
      abandon(true);
    } else {
      current.append(line, lineLength, false, false);
      if (NativeSections.letterOf(line, contentEnd).equals("Z")) {
        ready.add(current.complete(limits));
        current = null;
      }
    }
  }

  /**
   * Rejects the current entry, ended without its Z, and reads again from the first A line of another boundary
   * inside it (and from the line just read, when {@code lineToo}). Once what was read again would pass the stream's
   * own bytes, an A line of another boundary ends the entry it is in from then on ({@link #flat}), so nothing is read
   * again after that but the rest of this entry: A lines of many boundaries nested in each other, none with its Z,
   * had every entry read again to the end, a few KB of gzip costing minutes.
   */
  private void abandon(boolean lineToo) {
    ready.add(current.abandoned(limits));
    flat |= readAgain + current.resumeLength() > bytesRead;
    byte[] resume = current.resumeBytes();
    readAgain += resume.length;
    current = null;
    // Put before what is still to be read again, without copying that.
    if (lineToo) {
      again.addFirst(new Again(Arrays.copyOf(line, lineLength)));
    }
    if (resume.length > 0) {
      again.addFirst(new Again(resume));
    }
    position -= resume.length + (lineToo ? lineLength : 0);
  }

  private void onJsonLine(long offset) {
    int index = ++entries;
    try {
      if (lineOverlong) {
        throw OpenEntry.tooLarge(limits);
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
}
