package io.auditlog.modsecurity;

import java.util.Optional;

/**
 * One entry of a bulk stream, in file order: parsed, or rejected; offset is the byte offset of its A boundary, and the
 * unique id is known when its A line gave one (a rejected entry's too).
 */
public record BulkItem(int index, long offset, Optional<Entry> entry, Optional<EntryRejected> rejected,
    Optional<String> uniqueId) {

  static BulkItem parsed(int index, long offset, Entry entry) {
    return new BulkItem(index, offset, Optional.of(entry), Optional.empty(), Optional.of(entry.uniqueId()));
  }

  static BulkItem rejected(int index, long offset, EntryRejected rejected, Optional<String> uniqueId) {
    return new BulkItem(index, offset, Optional.empty(), Optional.of(rejected), uniqueId);
  }
}
