package io.auditlog.worker;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Keys and values as byte arrays, except that an ingress record's key or value larger than {@code max} bytes is not
 * copied out of the record: it is read as empty, and the loop refuses the record by its serialized size, which the
 * consumer measures from the same buffer. A compressed record is decompressed into a buffer of its own; copying a value
 * of most of the heap out of it (as {@code ByteArrayDeserializer} does) would need that heap twice.
 */
final class BoundedBytes implements Deserializer<byte[]> {

  private static final byte[] NOT_COPIED = new byte[0];

  private final String ingressTopic;
  private final int max;

  BoundedBytes(String ingressTopic, int max) {
    this.ingressTopic = ingressTopic;
    this.max = max;
  }

  @Override
  public byte[] deserialize(String topic, byte[] data) {
    return data == null || data.length <= max || !topic.equals(ingressTopic) ? data : NOT_COPIED;
  }

  @Override
  public byte[] deserialize(String topic, Headers headers, ByteBuffer data) {
    if (data == null) {
      return null;
    }
    if (data.remaining() > max && topic.equals(ingressTopic)) {
      return NOT_COPIED;
    }
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    return bytes;
  }
}
