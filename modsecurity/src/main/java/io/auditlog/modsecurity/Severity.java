package io.auditlog.modsecurity;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** Severities: names (v2, and the usual abbreviations) and digits (v3) to numbers, 0 emergency to 7 debug. */
public final class Severity {
  /** The names by number, as the event's {@code level} uses them. */
  static final List<String> NAMES =
      List.of("emergency", "alert", "critical", "error", "warning", "notice", "info", "debug");
  private static final Map<String, Integer> ALIASES = Map.of("emerg", 0, "crit", 2, "err", 3, "warn", 4);

  private Severity() {
  }

  /** The number of a severity name (case ignored) or digit; empty for anything else. */
  public static OptionalInt number(String nameOrDigit) {
    if (nameOrDigit == null) {
      return OptionalInt.empty();
    }
    String value = nameOrDigit.trim().toLowerCase(Locale.ROOT);
    if (value.length() == 1 && value.charAt(0) >= '0' && value.charAt(0) <= '7') {
      return OptionalInt.of(value.charAt(0) - '0');
    }
    int index = NAMES.indexOf(value);
    if (index >= 0) {
      return OptionalInt.of(index);
    }
    Integer alias = ALIASES.get(value);
    return alias == null ? OptionalInt.empty() : OptionalInt.of(alias);
  }

  /** The level name of a severity number. */
  static String name(int number) {
    return NAMES.get(number);
  }
}
