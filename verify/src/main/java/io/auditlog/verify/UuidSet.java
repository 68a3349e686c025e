package io.auditlog.verify;

import java.util.UUID;

/**
 * A set of UUIDs held as pairs of longs in one open-addressing table, at most half full: 32 to 64 bytes an id, where
 * a {@code HashSet<UUID>} takes about 80, so that exports of millions of leaves fit in memory. Slots come from
 * SipHash under a key drawn for each set, so that no export can pick ids that share a slot and make filling the set
 * quadratic.
 */
final class UuidSet {

  private final SipHash hash = SipHash.withRandomKey();
  private long[] slots = new long[2 * 1024];
  private int size;
  private boolean containsNil;
  private long probes;

  /** Adds the id; false if it was already there. */
  boolean add(UUID id) {
    long high = id.getMostSignificantBits();
    long low = id.getLeastSignificantBits();
    if (high == 0 && low == 0) {
      boolean added = !containsNil;
      containsNil = true;
      return added;
    }
    if (2 * (size + 1) > slots.length / 2) {
      grow();
    }
    if (!insert(slots, high, low)) {
      return false;
    }
    size++;
    return true;
  }

  /** The slots looked at so far, for tests of how well ids spread. */
  long probes() {
    return probes;
  }

  private boolean insert(long[] table, long high, long low) {
    int mask = table.length / 2 - 1;
    for (int slot = (int) hash.hash(high, low) & mask; ; slot = slot + 1 & mask) {
      probes++;
      long slotHigh = table[2 * slot];
      long slotLow = table[2 * slot + 1];
      if (slotHigh == 0 && slotLow == 0) {
        table[2 * slot] = high;
        table[2 * slot + 1] = low;
        return true;
      }
      if (slotHigh == high && slotLow == low) {
        return false;
      }
    }
  }

  private void grow() {
    long[] larger = new long[slots.length * 2];
    for (int i = 0; i < slots.length; i += 2) {
      if (slots[i] != 0 || slots[i + 1] != 0) {
        insert(larger, slots[i], slots[i + 1]);
      }
    }
    slots = larger;
  }
}
