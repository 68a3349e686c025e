package io.auditlog.model;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as a whole number and a unit: {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}, {@code w}. */
public final class Durations {

  private static final Pattern WRITTEN = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

  private Durations() {
  }

  public static Optional<Duration> parse(String text) {
    Matcher m = WRITTEN.matcher(text);
    return m.matches() ? Optional.of(of(Long.parseLong(m.group(1)), m.group(2))) : Optional.empty();
  }

  public static Duration of(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      case "w" -> Duration.ofDays(7 * amount);
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }
}
