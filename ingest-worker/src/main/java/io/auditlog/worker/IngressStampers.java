package io.auditlog.worker;

import io.auditlog.model.RecordStamper;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The stampers of the ingress partitions this member owns. Each resumes from the last nanosecond recorded in its
 * partition's committed offset ({@code stamp=<nanoseconds>} as the offset's metadata), so that whoever reads a
 * partition from a committed offset stamps the following records exactly as they were stamped before.
 */
final class IngressStampers {

  private static final String PREFIX = "stamp=";

  private final Map<TopicPartition, RecordStamper> owned = new HashMap<>();

  /** Takes over newly assigned partitions from their committed offsets (a missing entry starts afresh). */
  void resume(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
    for (TopicPartition partition : partitions) {
      if (partition.partition() < RecordStamper.PARTITIONS) {
        owned.put(partition, new RecordStamper(partition.topic(), partition.partition(),
            lastIssued(committed.get(partition))));
      }
    }
  }

  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(owned::remove);
  }

  /** The partition's stamper; empty when the partition's number is beyond the slots stamps can use. */
  Optional<RecordStamper> of(TopicPartition partition) {
    RecordStamper stamper = owned.get(partition);
    if (stamper == null && partition.partition() < RecordStamper.PARTITIONS) {
      throw new IllegalStateException("no stamper for " + partition + ": it was never assigned to this member");
    }
    return Optional.ofNullable(stamper);
  }

  /** The metadata to commit with the partition's offset: where its stamps stand now. */
  String checkpoint(TopicPartition partition) {
    RecordStamper stamper = owned.get(partition);
    return stamper == null ? "" : PREFIX + stamper.lastIssued();
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
