package io.auditlog.worker;

import io.auditlog.model.RecordStamper;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The ingress partitions this member owns. Each resumes from the last nanosecond recorded in its committed offset
 * ({@code stamp=<nanoseconds>} as the offset's metadata) and from the records placed past it
 * ({@link IngressPartition}), so that whoever reads a partition from a committed offset stamps the following records
 * as they were stamped before.
 */
final class IngressPartitions {

  private static final String PREFIX = "stamp=";

  private final PlacedIngress history;
  private final Map<TopicPartition, IngressPartition> owned = new HashMap<>();

  IngressPartitions(PlacedIngress history) {
    this.history = history;
  }

  /** Takes over newly assigned partitions from their committed offsets (a missing entry starts afresh). */
  void resume(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
    for (TopicPartition partition : partitions) {
      if (partition.partition() < RecordStamper.PARTITIONS) {
        owned.put(partition, new IngressPartition(partition, lastIssued(committed.get(partition)), history));
      }
    }
  }

  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(owned::remove);
  }

  /** The partition; empty when its number is beyond the slots stamps can use. */
  Optional<IngressPartition> of(TopicPartition partition) {
    IngressPartition owner = owned.get(partition);
    if (owner == null && partition.partition() < RecordStamper.PARTITIONS) {
      throw new IllegalStateException("no stamper for " + partition + ": it was never assigned to this member");
    }
    return Optional.ofNullable(owner);
  }

  /** The metadata to commit with the partition's offset: where its stamps stand now. */
  String checkpoint(TopicPartition partition) {
    IngressPartition owner = owned.get(partition);
    return owner == null ? "" : PREFIX + owner.lastIssued();
  }

  private static long lastIssued(OffsetAndMetadata committed) {
    if (committed == null || committed.metadata() == null || !committed.metadata().startsWith(PREFIX)) {
      return 0;
    }
    try {
      return Long.parseLong(committed.metadata().substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
