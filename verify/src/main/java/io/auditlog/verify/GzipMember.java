package io.auditlog.verify;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The data of a gzip stream (RFC 1952) of exactly one member. {@link java.util.zip.GZIPInputStream} reads on into
 * further members and drops bytes after a member that do not start one, so an export could carry bytes that no check
 * sees; here any byte after the member's trailer fails the verification. The header's optional fields are skipped,
 * the trailer's CRC-32 and length are checked, and a stream that ends early is an {@link EOFException}.
 */
final class GzipMember extends InputStream {

  /** The first two bytes of a gzip stream, read little-endian. */
  static final int MAGIC = 0x8b1f;
  private static final int DEFLATE = 8;
  private static final int HEADER_CRC = 2;
  private static final int EXTRA = 4;
  private static final int NAME = 8;
  private static final int COMMENT = 16;
  private static final int RESERVED = 0xe0;
  /** Modification time, extra flags and operating system. */
  private static final int FIXED_FIELDS = 6;
  private static final int TRAILER = 8;

  private final InputStream in;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] input = new byte[1 << 16];
  private int inputLength;
  private boolean ended;

  private GzipMember(InputStream in) {
    this.in = in;
  }

  /** Reads the member's header from the input and stands at the start of its data. */
  static GzipMember open(InputStream in) throws IOException {
    CheckedInputStream header = new CheckedInputStream(in, new CRC32());
    if (readShort(header) != MAGIC || readByte(header) != DEFLATE) {
      throw new ZipException("not a gzip stream of deflated data");
    }
    int flags = readByte(header);
    if ((flags & RESERVED) != 0) {
      throw new ZipException("the gzip header sets reserved flags");
    }
    skip(header, FIXED_FIELDS);
    if ((flags & EXTRA) != 0) {
      skip(header, readShort(header));
    }
    if ((flags & NAME) != 0) {
      skipThroughZero(header);
    }
    if ((flags & COMMENT) != 0) {
      skipThroughZero(header);
    }
    if ((flags & HEADER_CRC) != 0 && readShort(in) != (int) (header.getChecksum().getValue() & 0xffff)) {
      throw new ZipException("the gzip header's CRC does not match it");
    }
    return new GzipMember(in);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (ended) {
      return -1;
    }
    if (length == 0) {
      return 0;
    }
    while (true) {
      int inflated = inflate(buffer, offset, length);
      if (inflated > 0) {
        crc.update(buffer, offset, inflated);
        return inflated;
      }
      if (inflater.finished()) {
        readTrailer();
        ended = true;
        return -1;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("the gzip data needs a preset dictionary");
      }
      inputLength = in.read(input);
      if (inputLength < 0) {
        throw new EOFException("the gzip stream ends inside its data");
      }
      inflater.setInput(input, 0, inputLength);
    }
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }

  private int inflate(byte[] buffer, int offset, int length) throws ZipException {
    try {
      return inflater.inflate(buffer, offset, length);
    } catch (DataFormatException e) {
      throw new ZipException("the gzip data is corrupt: " + e.getMessage());
    }
  }

  /** Checks the trailer, which may start in the input already read, and that nothing follows it. */
  private void readTrailer() throws IOException {
    int remaining = inflater.getRemaining();
    InputStream rest = new SequenceInputStream(new ByteArrayInputStream(input, inputLength - remaining, remaining),
        in);
    byte[] trailer = rest.readNBytes(TRAILER);
    if (trailer.length < TRAILER) {
      throw new EOFException("the gzip stream ends inside its trailer");
    }
    ByteBuffer fields = ByteBuffer.wrap(trailer).order(ByteOrder.LITTLE_ENDIAN);
    if (Integer.toUnsignedLong(fields.getInt()) != crc.getValue()
        || fields.getInt() != (int) inflater.getBytesWritten()) {
      throw new ZipException("the gzip trailer does not match the data");
    }
    if (rest.read() >= 0) {
      throw new VerificationException("bytes follow the end of the gzip stream, outside the export: another "
          + "member or anything else");
    }
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the gzip stream ends inside its header");
    }
    return b;
  }

  private static int readShort(InputStream in) throws IOException {
    return readByte(in) | readByte(in) << 8;
  }

  private static void skipThroughZero(InputStream in) throws IOException {
    int b;
    do {
      b = readByte(in);
    } while (b != 0);
  }

  private static void skip(InputStream in, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      readByte(in);
    }
  }
}
