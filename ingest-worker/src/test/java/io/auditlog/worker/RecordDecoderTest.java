package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.SampleEvents;
import io.auditlog.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** An ingress record's decision depends on the record and the accounts alone, so that a replay decides the same. */
class RecordDecoderTest {

  private static final String INGRESS = "ingress";
  private static final byte[] EVENT = SampleEvents.seedJson().toString().getBytes(StandardCharsets.UTF_8);

  private final IngressStampers stampers = new IngressStampers();
  private final RecordDecoder decoder = new RecordDecoder(INGRESS, stampers,
      key -> key.equals("good") ? Optional.of("7") : Optional.empty(), 1000);

  RecordDecoderTest() {
    stampers.resume(List.of(new TopicPartition(INGRESS, 0)), Map.of());
  }

  @Test
  void aRecordTimeBefore1970IsRefusedAndOneFarAheadIsStampedAtItsTime() throws Exception {
    assertThat(decoder.decode(record(0, -5)).deadLetterReason()).isEqualTo("record time before 1970");
    long ahead = System.currentTimeMillis() + 3_600_000;
    RecordDecoder.Decoded decoded = decoder.decode(record(1, ahead));
    assertThat(decoded.deadLetterReason()).isNull();
    assertThat(decoded.events()).singleElement()
        .satisfies(event -> assertThat(event.timestampNanos() / 1_000_000).isEqualTo(ahead));
  }

  @Test
  void theSameRecordsDecodedAgainGiveTheSameStampsWhateverTheClockSays() throws Exception {
    long now = System.currentTimeMillis();
    List<Long> first = List.of(decoder.decode(record(0, now)), decoder.decode(record(1, now + 61_000)))
        .stream().map(d -> d.events().get(0).timestampNanos()).toList();
    IngressStampers again = new IngressStampers();
    again.resume(List.of(new TopicPartition(INGRESS, 0)), Map.of());
    RecordDecoder replay = new RecordDecoder(INGRESS, again, key -> Optional.of("7"), 1000);
    Thread.sleep(5);
    List<Long> second = List.of(replay.decode(record(0, now)), replay.decode(record(1, now + 61_000)))
        .stream().map(d -> d.events().get(0).timestampNanos()).toList();
    assertThat(second).isEqualTo(first);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, long timestamp) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(Topics.API_KEY_HEADER, "good".getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(INGRESS, 0, offset, timestamp, TimestampType.CREATE_TIME, 0, 0, null,
        EVENT, headers, Optional.empty());
  }
}
