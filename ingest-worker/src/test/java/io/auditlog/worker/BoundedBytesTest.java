package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Keys and values copied out of a record, but an ingress record's too large one left where it is. */
class BoundedBytesTest {

  private final BoundedBytes bytes = new BoundedBytes("ingress", 8);

  @Test
  void valuesUpToTheBoundAreCopiedAndLargerIngressValuesAreNot() {
    ByteBuffer record = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    ByteBuffer small = record.slice(2, 8);
    ByteBuffer large = record.slice(0, 9);

    assertThat(bytes.deserialize("ingress", new RecordHeaders(), small)).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(small.remaining()).as("the consumer measures the value from the same buffer").isEqualTo(8);
    assertThat(bytes.deserialize("ingress", new RecordHeaders(), large)).isEmpty();
    assertThat(large.remaining()).isEqualTo(9);
    assertThat(bytes.deserialize("events", new RecordHeaders(), large)).hasSize(9);
    assertThat(bytes.deserialize("ingress", new RecordHeaders(), (ByteBuffer) null)).isNull();
  }
}
