package io.auditlog.model;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * A buffer per thread, cleared for each use, for what is written once per event on the ingest path (its line, its
 * canonical form): a new buffer for each, grown by copying, was a large part of the worker's garbage. What is written
 * must be copied out before the thread's next use. A buffer grown past {@code kept} by one large event is not kept,
 * so that the event's memory is not held.
 *
 * @param <T> the buffer
 */
public final class ReusedBuffer<T> {

  private final Supplier<T> fresh;
  private final ToIntFunction<T> capacity;
  private final int kept;
  private final Consumer<T> clear;
  private final ThreadLocal<T> buffers;

  /**
   * @param fresh a new, empty buffer
   * @param capacity how much a buffer holds now
   * @param kept the largest capacity kept for the next use
   * @param clear empties a buffer, keeping its memory
   */
  public ReusedBuffer(Supplier<T> fresh, ToIntFunction<T> capacity, int kept, Consumer<T> clear) {
    this.fresh = fresh;
    this.capacity = capacity;
    this.kept = kept;
    this.clear = clear;
    this.buffers = ThreadLocal.withInitial(fresh);
  }

  /** A text builder per thread, starting at {@code initial} characters. */
  public static ReusedBuffer<StringBuilder> text(int initial, int kept) {
    return new ReusedBuffer<>(() -> new StringBuilder(initial), StringBuilder::capacity, kept, b -> b.setLength(0));
  }

  /** This thread's buffer, empty. */
  public T cleared() {
    T buffer = buffers.get();
    if (capacity.applyAsInt(buffer) > kept) {
      buffer = fresh.get();
      buffers.set(buffer);
    }
    clear.accept(buffer);
    return buffer;
  }
}
