package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Headers measured as the consumer hands them over (buffers into the record), without a copy of their bytes. */
class HeaderBytesTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void aConsumedHeaderIsMeasuredWithoutCopyingIt() {
    ByteBuffer record = ByteBuffer.allocate(64 << 20);
    ByteBuffer key = record.slice(0, 7).put("x-large".getBytes(StandardCharsets.US_ASCII)).flip();
    ByteBuffer value = record.slice(7, (64 << 20) - 7);
    RecordHeaders headers = new RecordHeaders(new Header[] {new RecordHeader(key, value)});

    long allocated = THREADS.getCurrentThreadAllocatedBytes();
    long bytes = HeaderBytes.of(headers);
    long copied = THREADS.getCurrentThreadAllocatedBytes() - allocated;

    assertThat(bytes).isEqualTo(64 << 20);
    assertThat(copied).as("bytes allocated while measuring").isLessThan(1 << 20);
  }

  @Test
  void headersAlreadyCopiedOrMadeElsewhereAreMeasuredByWhatTheyHold() {
    RecordHeader consumed = new RecordHeader(ByteBuffer.wrap("api-key".getBytes(StandardCharsets.US_ASCII)),
        ByteBuffer.wrap(new byte[40]));
    assertThat(consumed.value()).hasSize(40);
    assertThat(consumed.key()).isEqualTo("api-key");
    Header made = new RecordHeader("trace", new byte[] {1, 2, 3});
    Header empty = new RecordHeader("empty", null);

    assertThat(HeaderBytes.of(new RecordHeaders(new Header[] {consumed, made, empty}))).isEqualTo(7 + 40 + 5 + 3 + 5);
  }
}
