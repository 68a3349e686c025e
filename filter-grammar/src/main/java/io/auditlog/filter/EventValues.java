package io.auditlog.filter;

/** What the evaluator asks of one stored event. */
public interface EventValues {

  /**
   * The event's value of a variable: a {@link String} for text (category, tags, text fields), a {@link Double} for
   * numbers, a {@link Long} of epoch nanoseconds for time and age, and for metadata the item's value as a String,
   * Double or Boolean (other JSON as its text), for {@link Variable.Kind#IDS} and {@link Variable.Kind#MODSEC} a
   * {@link java.util.List} of Strings ({@link EventJsonValues} reads them from the event's JSON); {@code null} when
   * the event does not have it.
   */
  Object value(Variable variable);
}
