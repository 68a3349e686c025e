package io.auditlog.filter;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** The numbers of the level names, as {@code SEVERITY} compares them with a numeric literal (syslog's order). */
public final class LevelNumbers {

  /** Every level name that has a number, lower case. */
  public static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("emergency", 0), Map.entry("emerg", 0), Map.entry("alert", 1), Map.entry("critical", 2),
      Map.entry("crit", 2), Map.entry("error", 3), Map.entry("err", 3), Map.entry("warning", 4), Map.entry("warn", 4),
      Map.entry("notice", 5), Map.entry("info", 6), Map.entry("debug", 7), Map.entry("none", 255));

  private LevelNumbers() {
  }

  /** The level's number, case ignored; empty for other levels. */
  public static OptionalInt of(String level) {
    Integer number = NUMBERS.get(level.toLowerCase(Locale.ROOT));
    return number == null ? OptionalInt.empty() : OptionalInt.of(number);
  }
}
