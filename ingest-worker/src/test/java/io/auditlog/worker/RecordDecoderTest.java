package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.auditlog.tlog.PlacedRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * An ingress record's decision depends on the record and the accounts alone, so that a replay decides the same; and a
 * record placed before is read again as it was placed, whatever its key says now.
 */
class RecordDecoderTest {

  private static final String INGRESS = "ingress";
  private static final TopicPartition PARTITION = new TopicPartition(INGRESS, 0);
  private static final String EVENT = SampleEvents.seedJson().toString();
  private static final KeyOwners GOOD_ONLY = key -> key.equals("good") ? Optional.of("7") : Optional.empty();

  private final RecordDecoder decoder = decoder(Map.of(), GOOD_ONLY);

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
    RecordDecoder replay = decoder(Map.of(), key -> Optional.of("7"));
    Thread.sleep(5);
    List<Long> second = List.of(replay.decode(record(0, now)), replay.decode(record(1, now + 61_000)))
        .stream().map(d -> d.events().get(0).timestampNanos()).toList();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aPlacedRecordIsReadAgainAsItsPlacedTenantWithItsStampsThoughItsKeyNoLongerWorks() throws Exception {
    long now = System.currentTimeMillis();
    List<StampedEvent> first = decoder.decode(record(5, now, "good", pair())).events();
    RecordDecoder.Decoded other = decoder.decode(record(6, now, "good", EVENT));
    Map<Long, PlacedRecords.Placed> placed = Map.of(
        5L, new PlacedRecords.Placed(7, first.get(0).timestampNanos(), 2),
        6L, new PlacedRecords.Placed(7, other.events().get(0).timestampNanos(), 1));

    RecordDecoder replay = decoder(placed, GOOD_ONLY);
    assertThat(replay.decode(record(5, now + 1, "rotated", pair())).events()).isEqualTo(first);
    assertThat(replay.decode(record(6, now + 1, "", EVENT)).events()).isEqualTo(other.events());
    RecordDecoder.Decoded next = replay.decode(record(7, now - 5_000, "good", EVENT));
    assertThat(next.events()).singleElement().satisfies(event -> assertThat(event.timestampNanos())
        .as("after the placed records before it").isGreaterThan(other.events().get(0).timestampNanos()));
  }

  @Test
  void aReplayThatDecidesAsBeforeStampsAsBeforeWhicheverRecordsWerePlaced() throws Exception {
    long now = System.currentTimeMillis();
    RecordDecoder firstPass = decoder(Map.of(), GOOD_ONLY);
    List<StampedEvent> first = decodeEach(firstPass, now, 20, 21, 22);
    // A revoked member placed 20 and 22 (one tenant's part) and had not placed 21 (another's) yet.
    Map<Long, PlacedRecords.Placed> placed = Map.of(
        20L, new PlacedRecords.Placed(7, first.get(0).timestampNanos(), 1),
        22L, new PlacedRecords.Placed(7, first.get(2).timestampNanos(), 1));
    RecordDecoder replay = decoder(placed, GOOD_ONLY);
    List<StampedEvent> again = decodeEach(replay, now, 20, 21, 22);
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aRecordAcceptedOnlyOnItsReplayIsStampedAfterThePlacedRecordsBeforeIt() throws Exception {
    long now = System.currentTimeMillis();
    RecordDecoder firstPass = decoder(Map.of(), GOOD_ONLY);
    StampedEvent before = decode(firstPass, record(9, now, "good", pair())).get(1);
    assertThat(firstPass.decode(record(10, now, "activated later", EVENT)).deadLetterReason())
        .isEqualTo("invalid api-key");
    StampedEvent after = decode(firstPass, record(11, now, "good", EVENT)).get(0);
    Map<Long, PlacedRecords.Placed> placed = Map.of(
        9L, new PlacedRecords.Placed(7, before.timestampNanos() - 1, 2),
        11L, new PlacedRecords.Placed(7, after.timestampNanos(), 1));

    RecordDecoder replay = decoder(placed, key -> Optional.of("7"));
    assertThat(decode(replay, record(9, now, "good", pair())).get(1)).isEqualTo(before);
    StampedEvent nowAccepted = decode(replay, record(10, now, "activated later", EVENT)).get(0);
    assertThat(decode(replay, record(11, now, "good", EVENT))).containsExactly(after);
    assertThat(nowAccepted.timestampNanos()).isGreaterThan(before.timestampNanos());
  }

  @Test
  void placedRecordsBeyondTheFirstWindowAreReadWhenTheirOffsetsCome() throws Exception {
    long now = System.currentTimeMillis();
    long far = 3 + IngressPartition.WINDOW + 2;
    RecordDecoder firstPass = decoder(Map.of(), GOOD_ONLY);
    StampedEvent near = decode(firstPass, record(3, now, "good", EVENT)).get(0);
    StampedEvent late = decode(firstPass, record(far, now, "good", EVENT)).get(0);
    RecordDecoder replay = decoder(Map.of(3L, new PlacedRecords.Placed(7, near.timestampNanos(), 1),
        far, new PlacedRecords.Placed(7, late.timestampNanos(), 1)), key -> Optional.empty());
    assertThat(decode(replay, record(3, now, "rotated", EVENT))).containsExactly(near);
    assertThat(decode(replay, record(far, now, "rotated", EVENT))).containsExactly(late);
  }

  @Test
  void aPlacedRecordThatNoLongerDecodesAsPlacedStopsTheWorkerInsteadOfBeingDeadLettered() {
    RecordDecoder replay = decoder(Map.of(3L, new PlacedRecords.Placed(7, 1_700_000_000_000_500_000L, 2),
        4L, new PlacedRecords.Placed(7, 1_700_000_000_001_500_000L, 1)), GOOD_ONLY);
    assertThatThrownBy(() -> replay.decode(record(3, 1, "good", EVENT)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the record ingress/0@3 holds 2 leaves in tenant 7's tree and decodes into 1 events");
    assertThatThrownBy(() -> replay.decode(record(4, 1, "good", "{\"category\":1}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the record ingress/0@4 holds leaves in tenant 7's tree and is no longer valid");
  }

  @Test
  void aBatchsKeysAreLookedUpTogetherAndOnlyThoseOfDirectRecords() throws Exception {
    List<List<String>> asked = new ArrayList<>();
    RecordDecoder decoder = decoder(Map.of(), new KeyOwners() {
      @Override
      public Optional<String> tenantOf(String key) {
        return Optional.empty();
      }

      @Override
      public void prefetch(Collection<String> keys) {
        asked.add(List.copyOf(keys));
      }
    });
    ConsumerRecord<byte[], byte[]> published = new ConsumerRecord<>("events", 0, 0, 1L, TimestampType.CREATE_TIME, 0,
        0, null, EVENT.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
    published.headers().add(Topics.API_KEY_HEADER, "published".getBytes(StandardCharsets.UTF_8));

    decoder.prefetchKeys(List.of(record(0, 1, "good", EVENT), published, record(1, 1, "", EVENT),
        record(2, 1, "made-up", EVENT)));
    decoder.prefetchKeys(List.of(published));

    assertThat(asked).containsExactly(List.of("good", "made-up"));
  }

  /** A decoder whose history holds {@code placed}, each record in a batch row of its own. */
  private static RecordDecoder decoder(Map<Long, PlacedRecords.Placed> placed, KeyOwners owners) {
    IngressPartitions partitions = new IngressPartitions(new PlacedIngress() {
      @Override
      public OptionalLong lastRowStart(TopicPartition partition) {
        return placed.keySet().stream().mapToLong(Long::longValue).max();
      }

      @Override
      public Map<Long, PlacedRecords.Placed> inRows(TopicPartition partition, long rowsFrom, long rowsTo, long from) {
        return placed.entrySet().stream()
            .filter(e -> e.getKey() >= rowsFrom && e.getKey() < rowsTo && e.getKey() >= from)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, HashMap::new));
      }
    });
    partitions.resume(List.of(PARTITION), Map.of());
    return new RecordDecoder(INGRESS, partitions, owners, 1000);
  }

  private static List<StampedEvent> decode(RecordDecoder decoder, ConsumerRecord<byte[], byte[]> record)
      throws Exception {
    RecordDecoder.Decoded decoded = decoder.decode(record);
    assertThat(decoded.deadLetterReason()).isNull();
    return decoded.events();
  }

  /** The one event of each of the records at {@code offsets}, with a valid key, in order. */
  private static List<StampedEvent> decodeEach(RecordDecoder decoder, long millis, long... offsets) throws Exception {
    List<StampedEvent> events = new ArrayList<>();
    for (long offset : offsets) {
      events.add(decode(decoder, record(offset, millis, "good", EVENT)).get(0));
    }
    return events;
  }

  private static String pair() {
    return "[" + EVENT + "," + EVENT + "]";
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, long timestamp) {
    return record(offset, timestamp, "good", EVENT);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, long timestamp, String key, String body) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(Topics.API_KEY_HEADER, key.getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(INGRESS, 0, offset, timestamp, TimestampType.CREATE_TIME, 0, 0, null,
        body.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
  }
}
