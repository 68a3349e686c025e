package io.auditlog.model;

/**
 * A text builder per thread, cleared for each use, for the text written once per event on the ingest path (its line,
 * its canonical form): a new builder for each, grown by copying, was a large part of the worker's garbage. The text
 * must be copied out ({@code toString}) before the thread's next use. A builder grown past {@code kept} characters by
 * one large event is not kept, so that event's memory is not held.
 */
public final class ReusedText {

  private final int initial;
  private final int kept;
  private final ThreadLocal<StringBuilder> builders;

  public ReusedText(int initial, int kept) {
    this.initial = initial;
    this.kept = kept;
    this.builders = ThreadLocal.withInitial(() -> new StringBuilder(initial));
  }

  /** This thread's builder, empty. */
  public StringBuilder cleared() {
    StringBuilder text = builders.get();
    if (text.capacity() > kept) {
      text = new StringBuilder(initial);
      builders.set(text);
    }
    text.setLength(0);
    return text;
  }
}
