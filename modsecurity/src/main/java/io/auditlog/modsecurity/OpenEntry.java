package io.auditlog.modsecurity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The native entry a bulk stream is in, from its A line on: its bytes, at most the entry limit of them, and the
 * bytes from the first A line of another boundary inside it, where reading resumes should the entry never reach its
 * Z. Once the entry outgrows the limit only those resume bytes are kept (again at most the limit of them).
 */
final class OpenEntry {
  private static final byte[] NONE = new byte[0];

  final String boundary;
  final int index;
  final long offset;
  private final int maxBytes;
  private byte[] bytes = NONE;
  private int kept;
  private int resumeAt = -1;
  private boolean tooLarge;
  private int lines;
  private Optional<String> uniqueId = Optional.empty();

  OpenEntry(String boundary, int index, long offset, int maxBytes) {
    this.boundary = boundary;
    this.index = index;
    this.offset = offset;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds a line (with its ending).
   *
   * @param overlong the line was longer than the entry limit, and only its length counts
   * @param foreignA the line is an A boundary line of another boundary
   */
  void append(byte[] line, int length, boolean overlong, boolean foreignA) {
    if (lines++ == 1) {
      uniqueId = uniqueIdOf(line, length);
    }
    if (foreignA && resumeAt < 0) {
      resumeAt = kept;
    }
    if (overlong || kept + length > maxBytes) {
      tooLarge = true;
      boolean resumeFits = !overlong && resumeAt >= 0 && kept - resumeAt + length <= maxBytes;
      keepFrom(resumeFits ? resumeAt : foreignA ? kept : -1);
    }
    if (!tooLarge || resumeAt >= 0) {
      if (kept + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(kept + length, 2 * bytes.length)));
      }
      System.arraycopy(line, 0, bytes, kept, length);
      kept += length;
    }
  }

  private void keepFrom(int from) {
    bytes = from < 0 ? NONE : Arrays.copyOfRange(bytes, from, kept);
    kept = bytes.length;
    resumeAt = from < 0 ? -1 : 0;
  }

  /** The entry, its Z read. */
  BulkItem complete(Limits limits) {
    try {
      if (tooLarge) {
        throw tooLarge(limits);
      }
      return BulkItem.parsed(index, offset, EntryParser.parse(Arrays.copyOf(bytes, kept), limits));
    } catch (EntryRejected rejected) {
      return BulkItem.rejected(index, offset, rejected, uniqueId);
    }
  }

  /** The entry, ended without its Z. */
  BulkItem abandoned(Limits limits) {
    EntryRejected rejected = tooLarge ? tooLarge(limits) : new EntryRejected("missing_z", "Entry has no Z section");
    return BulkItem.rejected(index, offset, rejected, uniqueId);
  }

  /** How many bytes {@link #resumeBytes} holds. */
  int resumeLength() {
    return resumeAt < 0 ? 0 : kept - resumeAt;
  }

  /** The bytes from the first A line of another boundary on, or none. */
  byte[] resumeBytes() {
    return resumeAt < 0 ? NONE : Arrays.copyOfRange(bytes, resumeAt, kept);
  }

  static EntryRejected tooLarge(Limits limits) {
    return new EntryRejected("entry_too_large", "Entry is larger than " + limits.maxEntryBytes() + " bytes");
  }

  /** The unique id of an A line, if it has one. */
  private static Optional<String> uniqueIdOf(byte[] line, int length) {
    try {
      String text = new String(line, 0, Math.min(length, 4096), StandardCharsets.UTF_8);
      return Optional.of(ALine.parse(text.split("\\r?\\n", 2)[0]).uniqueId());
    } catch (EntryRejected noId) {
      return Optional.empty();
    }
  }
}
