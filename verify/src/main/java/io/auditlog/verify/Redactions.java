package io.auditlog.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Check 4 of §7: a redacted seq s is REDACTED only if a proven erasure record at e > s lists {@code {"id","seq":s}}
 * matching the entry, or is a retention record whose {@code before} is later than the entry's timestamp. Otherwise
 * it is MISSING.
 */
final class Redactions {

  /** How the redacted seqs were explained; {@code missing} holds the ones that were not. */
  record Outcome(long redacted, List<Long> missing) {
  }

  private record Listed(UUID id, long seq) {
  }

  private final Map<Long, LeafEntry> redacted = new TreeMap<>(Long::compareUnsigned);
  private final Map<Listed, Long> latestListing = new HashMap<>();
  private final Map<Long, Long> retentionBefore = new TreeMap<>(Long::compareUnsigned);

  void redacted(long seq, LeafEntry entry) {
    redacted.put(seq, entry);
  }

  /** Takes note of what the proven erasure record at the given seq explains. */
  void record(long seq, Fields record) {
    if (record.has("erased")) {
      for (Fields item : record.objects("erased")) {
        Listed listed = new Listed(parseId(item.string("id"), item.where()), item.unsigned("seq"));
        latestListing.merge(listed, seq, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
      }
    }
    if (record.has("before") && "retention".equals(record.string("reason"))) {
      retentionBefore.put(seq, Rfc3339Nanos.parse(record.string("before")));
    }
  }

  Outcome outcome() {
    long[] seqs = retentionBefore.keySet().stream().mapToLong(Long::longValue).toArray();
    long[] latestBefore = suffixMaxima(retentionBefore.values().stream().mapToLong(Long::longValue).toArray());
    long explained = 0;
    List<Long> missing = new ArrayList<>();
    for (Map.Entry<Long, LeafEntry> entry : redacted.entrySet()) {
      long seq = entry.getKey();
      Long listedAt = latestListing.get(new Listed(entry.getValue().id(), seq));
      boolean listed = listedAt != null && Long.compareUnsigned(listedAt, seq) > 0;
      int later = firstAbove(seqs, seq);
      boolean retained = later < seqs.length && latestBefore[later] > entry.getValue().timestampNanos();
      if (listed || retained) {
        explained++;
      } else {
        missing.add(seq);
      }
    }
    return new Outcome(explained, missing);
  }

  /** For each position, the largest value from there to the end. */
  private static long[] suffixMaxima(long[] values) {
    long[] maxima = Arrays.copyOf(values, values.length);
    for (int i = maxima.length - 2; i >= 0; i--) {
      maxima[i] = Math.max(maxima[i], maxima[i + 1]);
    }
    return maxima;
  }

  /** The index of the first seq above the given one in the ascending array, or its length. */
  private static int firstAbove(long[] ascending, long seq) {
    int low = 0;
    int high = ascending.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (Long.compareUnsigned(ascending[middle], seq) > 0) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  private static UUID parseId(String text, String where) {
    try {
      return UuidText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }
}
