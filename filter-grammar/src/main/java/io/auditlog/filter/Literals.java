package io.auditlog.filter;

import io.auditlog.model.Durations;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading literals as numbers, instants, durations, wildcard patterns and address ranges. */
public final class Literals {

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,9})?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private Literals() {
  }

  /**
   * A decimal number with an exponent of at most 9 digits; no hex, no NaN, no infinity. Read in time linear in the
   * text's length (never as a big number: a stored value may hold 60,000 digits).
   */
  public static Optional<Double> number(String text) {
    if (!NUMBER.matcher(text).matches()) {
      return Optional.empty();
    }
    double value = Double.parseDouble(text);
    return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
  }

  /** Whether two numbers (as {@link #number} reads them) are equal however written: {@code 443}, {@code 4.43e2}. */
  public static boolean sameNumber(String a, String b) {
    return Decimal.of(a).equals(Decimal.of(b));
  }

  /** {@code yyyy-MM-dd}, {@code yyyy-MM-dd HH:mm:ss} (UTC), RFC 3339 with offset, or epoch milliseconds. */
  public static Optional<Instant> instant(String text) {
    try {
      if (text.matches("\\d{1,15}")) {
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(text)));
      }
      if (text.matches("\\d{4}-\\d\\d-\\d\\d")) {
        return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
      }
      if (text.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")) {
        return Optional.of(LocalDateTime.parse(text, SPACED).toInstant(ZoneOffset.UTC));
      }
      return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Milliseconds, or a whole number with {@code ms, s, m, h, d, w}. */
  public static Optional<Duration> duration(String text) {
    return text.matches("\\d{1,15}") ? Optional.of(Duration.ofMillis(Long.parseLong(text))) : Durations.parse(text);
  }

  /**
   * A pattern anchored to match whole values when searched, {@code ^(?:pattern)$}: what InfluxDB is sent for
   * {@code @rx}, and what a filter's pattern must compile as. A {@code \Q} quote the pattern leaves open (RE2 lets it
   * run to the end) is closed first, or it would swallow the closing {@code )$}.
   */
  public static String anchoredRegex(String pattern) {
    return "^(?:" + pattern + (endsQuoted(pattern) ? "\\E" : "") + ")$";
  }

  /** True when a {@code \Q} of the pattern has no {@code \E} after it (RE2 ends a quote at the first one). */
  private static boolean endsQuoted(String pattern) {
    int i = 0;
    while (i < pattern.length()) {
      if (pattern.startsWith("\\Q", i)) {
        int end = pattern.indexOf("\\E", i + 2);
        if (end < 0) {
          return true;
        }
        i = end + 2;
      } else {
        i += pattern.charAt(i) == '\\' ? 2 : 1;
      }
    }
    return false;
  }

  /** A wildcard pattern ({@code *}, {@code ?}) as a case-insensitive regular expression matching whole values. */
  public static String wildcardRegex(String pattern) {
    StringBuilder regex = new StringBuilder("(?is)");
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        regex.append(com.google.re2j.Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    return regex.append(com.google.re2j.Pattern.quote(literal.toString())).toString();
  }

  /** The comma-separated parts of a list literal, trimmed, without empty ones. */
  public static List<String> list(String text) {
    List<String> parts = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        parts.add(part.trim());
      }
    }
    return parts;
  }

  /** An IP address written as digits (never resolved by name). */
  public static Optional<byte[]> address(String text) {
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** An address range: an address with an optional {@code /prefix}. */
  public record Cidr(byte[] network, int prefix) {

    public static Optional<Cidr> parse(String text) {
      int slash = text.indexOf('/');
      Optional<byte[]> address = address(slash < 0 ? text : text.substring(0, slash));
      if (address.isEmpty()) {
        return Optional.empty();
      }
      int bits = address.get().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String suffix = text.substring(slash + 1);
        if (!suffix.matches("\\d{1,3}") || Integer.parseInt(suffix) > bits) {
          return Optional.empty();
        }
        prefix = Integer.parseInt(suffix);
      }
      return Optional.of(new Cidr(address.get(), prefix));
    }

    public boolean contains(byte[] candidate) {
      if (candidate.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
