package io.auditlog.verify;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The lines of an export, gzipped or not, as strict UTF-8. A last line without its LF is handed out marked as such:
 * if it does not parse, the export was cut off.
 */
final class ExportLines implements Closeable {

  /** The longest line read, far above the largest erasure record. */
  static final int MAX_LINE_BYTES = 64 << 20;

  /** One line without its LF, numbered from 1. */
  record Line(long number, String text, boolean terminated) {
  }

  private final InputStream input;
  private final byte[] buffer = new byte[1 << 16];
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int start;
  private int end;
  private long number;

  private ExportLines(InputStream input) {
    this.input = input;
  }

  /** Reads the stream, unzipping it if it starts with the gzip magic number: one member and nothing after it. */
  static ExportLines open(InputStream raw) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw);
    buffered.mark(2);
    int magic = buffered.read() | buffered.read() << 8;
    buffered.reset();
    return new ExportLines(magic == GzipMember.MAGIC ? GzipMember.open(buffered) : buffered);
  }

  /** The next line, or null at the end of the input. */
  Line next() throws IOException {
    pending.reset();
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          append(i);
          start = i + 1;
          return line(true);
        }
      }
      append(end);
      if (!fill()) {
        return pending.size() == 0 ? null : line(false);
      }
    }
  }

  private void append(int until) {
    if (pending.size() + until - start > MAX_LINE_BYTES) {
      throw new IllegalArgumentException("line " + (number + 1) + " is longer than " + (MAX_LINE_BYTES >> 20)
          + " MiB");
    }
    pending.write(buffer, start, until - start);
    start = until;
  }

  private boolean fill() throws IOException {
    int read;
    try {
      read = input.read(buffer);
    } catch (EOFException e) {
      throw new VerificationException("the export is cut off inside its gzip stream: " + e.getMessage());
    }
    start = 0;
    end = Math.max(read, 0);
    return read > 0;
  }

  private Line line(boolean terminated) {
    number++;
    try {
      return new Line(number, utf8.decode(ByteBuffer.wrap(pending.toByteArray())).toString(), terminated);
    } catch (CharacterCodingException e) {
      if (!terminated) {
        throw new VerificationException("the export is cut off in line " + number);
      }
      throw new IllegalArgumentException("line " + number + " is not UTF-8");
    }
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
