package io.auditlog.modsecurity;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The A section's line: {@code [dd/Mon/yyyy:HH:mm:ss[.uuuuuu] ±hhmm] unique_id client_addr client_port server_addr
 * server_port}. A time that does not parse leaves no sensor time.
 */
record ALine(String line, Optional<String> sensorTime, String uniqueId, String clientAddr, OptionalInt clientPort,
             Optional<String> serverAddr, OptionalInt serverPort) {
  private static final List<String> MONTHS =
      List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

  static ALine parse(String line) throws EntryRejected {
    String rest = line.strip();
    Optional<String> time = Optional.empty();
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close > 0) {
        time = sensorTime(rest.substring(1, close));
        rest = rest.substring(close + 1);
      }
    }
    List<String> fields = Text.fields(rest, 5);
    if (fields.isEmpty()) {
      throw new EntryRejected("missing_unique_id", "Entry has no unique id");
    }
    if (fields.size() < 2) {
      throw new EntryRejected("missing_a", "Entry's A section has no client address");
    }
    return new ALine(line, time, fields.get(0), fields.get(1), port(fields, 2),
        fields.size() > 3 ? Optional.of(fields.get(3)) : Optional.empty(), port(fields, 4));
  }

  private static OptionalInt port(List<String> fields, int index) {
    if (fields.size() <= index || !Text.digits(fields.get(index), 5)) {
      return OptionalInt.empty();
    }
    int port = Integer.parseInt(fields.get(index));
    return port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
  }

  /** {@code 12/Mar/2025:10:15:30.482913 +0100} as RFC 3339 with the same offset and fraction. */
  static Optional<String> sensorTime(String text) {
    List<String> parts = Text.fields(text, 3);
    if (parts.size() != 2) {
      return Optional.empty();
    }
    String stamp = parts.get(0);
    String offset = parts.get(1);
    if (stamp.length() < 20 || stamp.charAt(2) != '/' || stamp.charAt(6) != '/' || stamp.charAt(11) != ':'
        || stamp.charAt(14) != ':' || stamp.charAt(17) != ':' || offset.length() != 5
        || (offset.charAt(0) != '+' && offset.charAt(0) != '-') || !Text.digits(offset.substring(1), 4)) {
      return Optional.empty();
    }
    String fraction = stamp.substring(20);
    if (!fraction.isEmpty() && (fraction.charAt(0) != '.' || !Text.digits(fraction.substring(1), 9))) {
      return Optional.empty();
    }
    int month = MONTHS.indexOf(stamp.substring(3, 6)) + 1;
    String[] numbers = {stamp.substring(0, 2), stamp.substring(7, 11), stamp.substring(12, 14),
        stamp.substring(15, 17), stamp.substring(18, 20)};
    for (String number : numbers) {
      if (!Text.digits(number, 4)) {
        return Optional.empty();
      }
    }
    if (month == 0 || Integer.parseInt(offset.substring(1, 3)) > 18 || Integer.parseInt(offset.substring(3)) > 59) {
      return Optional.empty();
    }
    try {
      LocalDateTime.of(Integer.parseInt(numbers[1]), month, Integer.parseInt(numbers[0]),
          Integer.parseInt(numbers[2]), Integer.parseInt(numbers[3]), Integer.parseInt(numbers[4]));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
    return Optional.of(numbers[1] + "-" + (month < 10 ? "0" : "") + month + "-" + numbers[0] + "T"
        + stamp.substring(12) + offset.substring(0, 3) + ":" + offset.substring(3));
  }
}
