package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.tlog.SaltDerivation;
import io.auditlog.tlog.Sequencer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Preparing a part for the history: canonical forms made before placement, and records without one refused. */
class HistoryStageTest {

  private final HistoryStage stage = HistoryStage.on(new Sequencer("audit.example.com", new SaltDerivation(
      new byte[32])), null);

  @Test
  void eachRecordGetsItsEventsCanonicalFormsAndARecordWithoutOneIsRefusedAlone() {
    StampedEvent good = SampleEvents.stamped("7", 1).get(0);
    StampedEvent other = SampleEvents.stamped("7", 1).get(0);
    AuditEvent seed = other.event();
    // A lone surrogate, as a producer writing to Kafka itself might send if the decode stage let it through.
    AuditEvent broken = new AuditEvent(seed.category(), seed.application(), seed.environment(), seed.method(),
        seed.status(), seed.level(), new AuditEvent.Action(seed.event().name(), seed.event().type(),
            seed.event().totalDuration(), seed.event().affectedResources(), seed.event().latency(),
            seed.event().cpuUsage(), seed.event().memoryUsage(), Optional.of("half \ud800"), Optional.empty()),
        seed.actor(), seed.resource(), seed.metadata());
    StampedEvent bad = new StampedEvent(other.tenant(), other.id(), other.eventId(), other.timestampNanos(),
        other.stage(), broken, other.salt());
    ConsumerRecord<byte[], byte[]> first = record(1);
    ConsumerRecord<byte[], byte[]> second = record(2);

    HistoryStage.Prepared prepared = stage.prepare(List.of(new DecodedBatch.Entry(good, first),
        new DecodedBatch.Entry(bad, second), new DecodedBatch.Entry(good, second)));

    assertThat(prepared.entries()).extracting(DecodedBatch.Entry::record).containsExactly(first);
    assertThat(prepared.records()).singleElement().satisfies(record -> {
      assertThat(record.entries()).extracting(DecodedBatch.Entry::record).containsExactly(first);
      assertThat(record.sequenced().offset()).isEqualTo(first.offset());
      assertThat(record.sequenced().events().get(0).canonical().get()).isEqualTo(CanonicalEvent.of(good));
    });
    assertThat(prepared.refused()).singleElement().satisfies(refused -> {
      assertThat(refused.record()).isSameAs(second);
      assertThat(refused.reason()).contains("no canonical form").contains("surrogate");
    });
  }

  @Test
  void withTheHistoryOffNothingIsPrepared() {
    StampedEvent good = SampleEvents.stamped("7", 1).get(0);
    HistoryStage.Prepared prepared = HistoryStage.off().prepare(List.of(new DecodedBatch.Entry(good, record(1))));
    assertThat(prepared.entries()).hasSize(1);
    assertThat(prepared.records()).isEmpty();
    assertThat(prepared.refused()).isEmpty();
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset) {
    return new ConsumerRecord<>("events", 0, offset, "7".getBytes(StandardCharsets.UTF_8), new byte[0]);
  }
}
