package io.auditlog.modsecurity;

import java.util.Optional;

/** One entry of a bulk stream, in file order: parsed, or rejected; offset is the byte offset of its A boundary. */
public record BulkItem(int index, long offset, Optional<Entry> entry, Optional<EntryRejected> rejected) {
}
