package io.auditlog.tlog;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a sequencing transaction decided: for each record that is to be written, its events' placements in order, a
 * null placement for an event erased since it was placed. Records with no entry are not written: replays of records
 * the tree has no row for (the caller dead-letters them), and records past retention.
 */
public final class Placements {

  private final Map<SequencedRecord, List<Placement>> byRecord;
  private final Set<SequencedRecord> pastRetention = Collections.newSetFromMap(new IdentityHashMap<>());
  private int skipped;

  /** {@code records}: how many records the transaction decides, so that the map is made once at its size. */
  Placements(int records) {
    this.byRecord = new IdentityHashMap<>(records);
  }

  void pastRetention(SequencedRecord record) {
    pastRetention.add(record);
  }

  /**
   * True for a record with an event stamped before the tenant's retention cutoff: it got no leaf, is not written,
   * and is dead-lettered rather than dropped unseen.
   */
  public boolean isPastRetention(SequencedRecord record) {
    return pastRetention.contains(record);
  }

  void put(SequencedRecord record, List<Placement> placements) {
    byRecord.put(record, placements);
  }

  void skipped(int records) {
    skipped += records;
  }

  /** The placements of the record's events, in order (null for an erased one); null when none is to be written. */
  public List<Placement> of(SequencedRecord record) {
    return byRecord.get(record);
  }

  /** Replayed records the tree had no leaves for: not written. */
  public int skipped() {
    return skipped;
  }
}
