package io.auditlog.model;

/**
 * One stamping instance's share of every millisecond: the {@value #SIZE} nanoseconds from {@code index * SIZE}
 * onwards, handed out in order and never twice. When the slot of a millisecond is full, or the caller's millisecond
 * is not later than the last one used, stamping goes on in the slot of a later millisecond. Not thread-safe.
 */
final class TimeSlot {

  /** Nanoseconds each slot owns in every millisecond; also the most events one request may carry. */
  static final int SIZE = 1000;
  /** Slots per millisecond. */
  static final int COUNT = 1_000_000 / SIZE;

  private final long offsetInMillisecond;
  private long lastIssued;

  /** Slot {@code index} (0 to 999) that has handed out everything up to {@code lastIssued} (0 for nothing yet). */
  TimeSlot(int index, long lastIssued) {
    if (index < 0 || index >= COUNT) {
      throw new IllegalArgumentException("slot index must be from 0 to " + (COUNT - 1));
    }
    this.offsetInMillisecond = (long) index * SIZE;
    this.lastIssued = lastIssued;
  }

  /** Reserves {@code count} consecutive nanoseconds at {@code millis} or later, after every one handed out before. */
  long reserve(long millis, int count) {
    if (count < 1 || count > SIZE) {
      throw new IllegalArgumentException("a slot holds 1 to " + SIZE + " events");
    }
    long first = millis * 1_000_000L + offsetInMillisecond;
    if (first <= lastIssued) {
      long lastSlotStart = Math.floorDiv(lastIssued, 1_000_000L) * 1_000_000L + offsetInMillisecond;
      if (lastIssued < lastSlotStart) {
        first = lastSlotStart;
      } else if (lastIssued + count < lastSlotStart + SIZE) {
        first = lastIssued + 1;
      } else {
        first = lastSlotStart + 1_000_000L;
      }
    }
    lastIssued = first + count - 1;
    return first;
  }

  /** Whether the {@code count} nanoseconds from {@code first} on are all in this slot (of one millisecond). */
  boolean holds(long first, int count) {
    long inMillisecond = Math.floorMod(first, 1_000_000L);
    return first >= 0 && count >= 1 && inMillisecond >= offsetInMillisecond
        && inMillisecond + count <= offsetInMillisecond + SIZE;
  }

  /** Records that everything up to {@code nanos} was handed out (elsewhere): later stamps come after it. */
  void handedOut(long nanos) {
    lastIssued = Math.max(lastIssued, nanos);
  }

  /** The last nanosecond handed out, 0 when none. */
  long lastIssued() {
    return lastIssued;
  }
}
