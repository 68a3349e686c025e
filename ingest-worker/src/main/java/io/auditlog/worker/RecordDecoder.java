package io.auditlog.worker;

import io.auditlog.store.EventSink;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.AuditEvent;
import io.auditlog.model.EventCodec;
import io.auditlog.model.EventValidator;
import io.auditlog.model.Json;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.auditlog.tlog.PlacedRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Turns a record into stamped events, or into the reason it must be dead-lettered. Records of the events topic carry
 * canonical events (validated again); records of the ingress topic carry a client body and an {@code api-key} header,
 * and go through the same authentication and validation as the gateway, then are stamped by their
 * {@link IngressPartition partition}, so that a replay from a committed offset gives the same points.
 *
 * <p>An ingress record that was placed in a tree before (read again after a crash or a rebalance) is not decided again:
 * it is its placed tenant's, whatever its key says now (rotated or deactivated since), with its placed stamps. Should
 * it no longer decode into as many events, the worker stops rather than write a leaf without its event or dead-letter a
 * record some of whose events may be stored. Every other decision depends on the record alone (and on the accounts),
 * never on the worker's clock: a replay must stamp a partition's records as the first pass did. An ingress record's
 * time is the broker's on the topic the gateway creates ({@code LogAppendTime}); on one an operator created with
 * {@code CreateTime} it is the producer's, within what the broker allows ({@code message.timestamp.after.max.ms}, an
 * hour by default), and since a partition's stamps never go back, such a time ahead moves the partition's later records
 * with it (docs/security.md). One before 1970 is dead-lettered.
 */
final class RecordDecoder {

  /** The events of a record, or why it can never be stored. */
  record Decoded(List<StampedEvent> events, String deadLetterReason) {

    static Decoded rejected(String reason) {
      return new Decoded(List.of(), reason);
    }
  }

  /** Tenants are accounts, named by their decimal id (the trees of the verifiable history are keyed by it). */
  private static final Pattern ACCOUNT_ID = Pattern.compile("[1-9][0-9]{0,17}");

  private final String ingressTopic;
  private final IngressPartitions partitions;
  private final KeyOwners keyOwners;
  private final int batchLimit;
  private final EventCodec codec = new EventCodec();
  private final EventValidator validator = new EventValidator();

  RecordDecoder(String ingressTopic, IngressPartitions partitions, KeyOwners keyOwners, int batchLimit) {
    this.ingressTopic = ingressTopic;
    this.partitions = partitions;
    this.keyOwners = keyOwners;
    this.batchLimit = batchLimit;
  }

  Decoded decode(ConsumerRecord<byte[], byte[]> record) throws EventSink.TransientWriteException {
    try {
      return ingressTopic.equals(record.topic()) ? direct(record) : published(record);
    } catch (ApiException e) {
      return Decoded.rejected("invalid event: " + why(e));
    }
  }

  /** A record of the events topic: one canonical event, of a tenant that is an account id. */
  private Decoded published(ConsumerRecord<byte[], byte[]> record) {
    StampedEvent event = codec.decode(value(record));
    if (!ACCOUNT_ID.matcher(event.tenant()).matches()) {
      return Decoded.rejected("tenant is not an account id");
    }
    return new Decoded(List.of(event), null);
  }

  private Decoded direct(ConsumerRecord<byte[], byte[]> record) throws EventSink.TransientWriteException {
    if (record.timestamp() < 0) {
      return Decoded.rejected("record time before 1970");
    }
    var partition = partitions.of(new TopicPartition(record.topic(), record.partition()));
    if (partition.isEmpty()) {
      return Decoded.rejected("ingress partition " + record.partition() + " is beyond the "
          + RecordStamper.PARTITIONS + " partitions an ingress topic may have");
    }
    PlacedRecords.Placed placed = partition.get().placedAt(record.offset());
    if (placed != null) {
      return new Decoded(partition.get().restamp(placed, record.offset(), asPlaced(record, placed)), null);
    }
    String key = apiKey(record);
    if (key == null) {
      return Decoded.rejected("missing api-key header");
    }
    var tenant = keyOwners.tenantOf(key);
    if (tenant.isEmpty()) {
      return Decoded.rejected("invalid api-key");
    }
    JsonNode body = Json.parseBody(value(record));
    if (body.isArray() && body.size() > batchLimit) {
      return Decoded.rejected("a record may carry at most " + batchLimit + " events");
    }
    return new Decoded(partition.get().stamp(tenant.get(), record.offset(), record.timestamp(),
        validator.validate(body)), null);
  }

  /** Looks up at once the access keys of the direct records among {@code records} ({@link KeyOwners#prefetch}). */
  void prefetchKeys(List<ConsumerRecord<byte[], byte[]>> records) throws EventSink.TransientWriteException {
    List<String> keys = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      String key = ingressTopic.equals(record.topic()) ? apiKey(record) : null;
      if (key != null) {
        keys.add(key);
      }
    }
    if (!keys.isEmpty()) {
      keyOwners.prefetch(keys);
    }
  }

  /** The record's {@code api-key} header as text, or null when it has none or an empty one. */
  private static String apiKey(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(Topics.API_KEY_HEADER);
    return header == null || header.value() == null || header.value().length == 0 ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * The events of a placed record, validated as they were the first time.
   *
   * @throws IllegalStateException when they are not valid, or not as many as it has leaves
   */
  private List<AuditEvent> asPlaced(ConsumerRecord<byte[], byte[]> record, PlacedRecords.Placed placed) {
    String where = record.topic() + "/" + record.partition() + "@" + record.offset();
    List<AuditEvent> events;
    try {
      events = validator.validate(Json.parseBody(value(record)));
    } catch (ApiException e) {
      throw new IllegalStateException("the record " + where + " holds leaves in tenant " + placed.tenant()
          + "'s tree and is no longer valid: " + why(e), e);
    }
    if (events.size() != placed.leaves()) {
      throw new IllegalStateException("the record " + where + " holds " + placed.leaves() + " leaves in tenant "
          + placed.tenant() + "'s tree and decodes into " + events.size() + " events");
    }
    return events;
  }

  private static String why(ApiException e) {
    return e.isValidation() ? e.fieldErrors().toString() : e.getMessage();
  }

  private static byte[] value(ConsumerRecord<byte[], byte[]> record) {
    return record.value() == null ? new byte[0] : record.value();
  }
}
