package io.auditlog.modsecurity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The first line and the headers of a B or F section (at most 200 header lines; malformed lines are skipped). */
record HttpHead(Optional<String> firstLine, List<Header> headers) {
  static final int MAX_HEADER_LINES = 200;
  static final HttpHead EMPTY = new HttpHead(Optional.empty(), List.of());

  /** Reads only the lines it keeps, so a section of many lines costs no more than the lines of its head. */
  static HttpHead parse(byte[] section) {
    return parse(new ByteLines(section));
  }

  static HttpHead parse(String section) {
    return parse(ByteLines.of(section));
  }

  private static HttpHead parse(ByteLines lines) {
    boolean more = lines.next();
    while (more && lines.isBlank()) {
      more = lines.next();
    }
    if (!more) {
      return EMPTY;
    }
    String first = lines.text();
    List<Header> headers = new ArrayList<>();
    for (int n = 0; n < MAX_HEADER_LINES && lines.next() && !lines.isEmpty(); n++) {
      String line = lines.text();
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
      }
    }
    return new HttpHead(Optional.of(first), List.copyOf(headers));
  }

  /** The first value of a header, its name compared without case. */
  Optional<String> header(String name) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
  }

  /** At most {@code max} of the first line's fields (separated by spaces or tabs), from its start. */
  List<String> firstLineFields(int max) {
    return firstLine.map(line -> Text.fields(line, max)).orElse(List.of());
  }
}
