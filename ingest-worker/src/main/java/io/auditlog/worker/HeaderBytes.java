package io.auditlog.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * How many bytes a consumed record's headers hold, measured without copying them. Kafka's {@link Header} has no size:
 * its {@code key()} and {@code value()} decode or copy the record's buffer the first time they are called, and a header
 * of a compressed record can be hundreds of MiB, so asking for it doubles it in the heap (an outside review's 300 MiB
 * header ended the worker that way on every start). A consumed {@link RecordHeader} keeps its key and value as buffers
 * until asked, and their remaining bytes are read here, from its fields; a header already copied, or of another class,
 * is measured by what it holds. The fields are looked up when the class loads, so a Kafka client without them fails
 * {@code HeaderBytesTest} and the worker's start rather than measuring by copying.
 */
final class HeaderBytes {

  private static final VarHandle KEY_BUFFER;
  private static final VarHandle VALUE_BUFFER;

  static {
    try {
      MethodHandles.Lookup fields = MethodHandles.privateLookupIn(RecordHeader.class, MethodHandles.lookup());
      KEY_BUFFER = fields.findVarHandle(RecordHeader.class, "keyBuffer", ByteBuffer.class);
      VALUE_BUFFER = fields.findVarHandle(RecordHeader.class, "valueBuffer", ByteBuffer.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private HeaderBytes() {
  }

  /** The bytes of every header's key and value. */
  static long of(Headers headers) {
    long bytes = 0;
    for (Header header : headers) {
      bytes += keyBytes(header) + valueBytes(header);
    }
    return bytes;
  }

  private static long keyBytes(Header header) {
    if (header instanceof RecordHeader) {
      ByteBuffer buffer = (ByteBuffer) KEY_BUFFER.getVolatile(header);
      if (buffer != null) {
        return buffer.remaining();
      }
    }
    return header.key().length();
  }

  private static long valueBytes(Header header) {
    if (header instanceof RecordHeader) {
      ByteBuffer buffer = (ByteBuffer) VALUE_BUFFER.getVolatile(header);
      if (buffer != null) {
        return buffer.remaining();
      }
    }
    byte[] value = header.value();
    return value == null ? 0 : value.length;
  }
}
