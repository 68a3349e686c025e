package io.auditlog.tlog;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sequencing transaction decided: for each record that is to be written, its events' placements in order, a
 * null placement for an event erased since it was placed. Records with no entry are not written: replays of records
 * the tree has no row for.
 */
public final class Placements {

  private final Map<SequencedRecord, List<Placement>> byRecord = new IdentityHashMap<>();
  private int skipped;

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

  /** Replayed records the tree had no leaves for: counted, not written. */
  public int skipped() {
    return skipped;
  }
}
