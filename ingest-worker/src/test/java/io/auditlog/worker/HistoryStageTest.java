package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.model.AuditEvent;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.auditlog.tlog.SaltDerivation;
import io.auditlog.tlog.SequencedEvent;
import io.auditlog.tlog.Sequencer;
import io.auditlog.verify.LeafEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** An event's leaf as the decode stage makes it: its salt, and the commitment to its salted canonical form. */
class HistoryStageTest {

  private static final byte[] KEY = new byte[32];
  private final HistoryStage stage = HistoryStage.on(new Sequencer("audit.example.com"), new SaltDerivation(KEY),
      null, "ingress");

  @Test
  void anEventWithASaltOfItsOwnCommitsWithIt() {
    StampedEvent event = SampleEvents.stamped("7", 1).get(0);
    SequencedEvent leaf = stage.leaves(record("events", 1), List.of(event)).get(0);
    assertThat(leaf.id()).isEqualTo(event.id());
    assertThat(leaf.timestampNanos()).isEqualTo(event.timestampNanos());
    assertThat(leaf.salt()).isEqualTo(event.salt());
    assertThat(leaf.commitment()).isEqualTo(LeafEntry.commitment(Base64.getDecoder().decode(event.salt()),
        CanonicalEvent.of(event)));
  }

  @Test
  void anEventWithoutOneCommitsWithTheSaltDerivedFromItsRecordAndStage() {
    StampedEvent first = withoutSalt(SampleEvents.stamped("7", 1).get(0), 1);
    StampedEvent second = withoutSalt(SampleEvents.stamped("7", 1).get(0), 2);
    List<SequencedEvent> leaves = stage.leaves(record("ingress", 5), List.of(first, second));
    byte[] derived = new SaltDerivation(KEY).of("ingress", 0, 5, 2);
    assertThat(Base64.getDecoder().decode(leaves.get(1).salt())).isEqualTo(derived);
    assertThat(leaves.get(1).commitment()).isEqualTo(LeafEntry.commitment(derived, CanonicalEvent.of(second)));
    assertThat(leaves.get(0).salt()).isNotEqualTo(leaves.get(1).salt());
    assertThat(stage.leaves(record("ingress", 5), List.of(first, second))).extracting(SequencedEvent::salt)
        .containsExactlyElementsOf(leaves.stream().map(SequencedEvent::salt).toList());
    byte[] otherKey = new byte[32];
    Arrays.fill(otherKey, (byte) 1);
    assertThat(new SaltDerivation(otherKey).of("ingress", 0, 5, 2)).isNotEqualTo(derived);
  }

  @Test
  void anEventWithoutACanonicalFormOrWithAMalformedSaltHasNoLeaf() {
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
    assertThatThrownBy(() -> stage.leaves(record("events", 1), List.of(bad)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    StampedEvent shortSalt = new StampedEvent(other.tenant(), other.id(), other.eventId(), other.timestampNanos(),
        other.stage(), seed, Base64.getEncoder().encodeToString(new byte[8]));
    assertThatThrownBy(() -> stage.leaves(record("events", 1), List.of(shortSalt)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
  }

  @Test
  void anEventWhoseIdIsNotACanonicalUuidHasNoLeaf() {
    StampedEvent event = SampleEvents.stamped("7", 1).get(0);
    for (String id : List.of("x", "1-1-1-1-1", event.id().toUpperCase(), " " + event.id())) {
      StampedEvent odd = new StampedEvent(event.tenant(), id, event.eventId(), event.timestampNanos(), event.stage(),
          event.event(), event.salt());
      assertThatThrownBy(() -> stage.leaves(record("events", 1), List.of(odd))).as(id)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theDerivedSaltIsTheHmacOfTheRecordsCoordinatesAndTheStage() throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] expected = Arrays.copyOf(mac.doFinal("audit.ingress/3/42/2".getBytes(StandardCharsets.UTF_8)), 16);
    SaltDerivation salts = new SaltDerivation(key);
    assertThat(salts.of("audit.ingress", 3, 42, 2)).isEqualTo(expected);
    // Each thread's MAC is used again: a salt made before, on this thread or another, leaves nothing behind.
    salts.of("audit.ingress", 3, 43, 1);
    assertThat(salts.of("audit.ingress", 3, 42, 2)).isEqualTo(expected);
    CompletableFuture<byte[]> elsewhere = CompletableFuture.supplyAsync(() -> {
      salts.of("audit.ingress", 9, 9, 9);
      return salts.of("audit.ingress", 3, 42, 2);
    });
    assertThat(elsewhere.get()).isEqualTo(expected);
  }

  @Test
  void withTheHistoryOffNoLeafIsMade() {
    assertThat(HistoryStage.off().leaves(record("events", 1), SampleEvents.stamped("7", 1))).isNull();
  }

  private static StampedEvent withoutSalt(StampedEvent event, int stage) {
    return new StampedEvent(event.tenant(), event.id(), event.eventId(), event.timestampNanos(), stage, event.event(),
        null);
  }

  @Test
  void onlyARecordOfTheEventsTopicWithTheIdempotentHeaderIsARepublication() {
    ConsumerRecord<byte[], byte[]> published = record("events", 1);
    assertThat(stage.republishes(published)).isFalse();
    published.headers().add(Topics.IDEMPOTENT_HEADER, new byte[] {'1'});
    assertThat(stage.republishes(published)).isTrue();
    ConsumerRecord<byte[], byte[]> direct = record("ingress", 1);
    direct.headers().add(Topics.IDEMPOTENT_HEADER, new byte[] {'1'});
    assertThat(stage.republishes(direct)).as("a direct producer's header").isFalse();
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, long offset) {
    return new ConsumerRecord<>(topic, 0, offset, "7".getBytes(StandardCharsets.UTF_8), new byte[0]);
  }
}
