package io.auditlog.modsecurity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The first line and the headers of a B or F section (at most 200 header lines; malformed lines are skipped). */
record HttpHead(Optional<String> firstLine, List<Header> headers) {
  static final int MAX_HEADER_LINES = 200;
  static final HttpHead EMPTY = new HttpHead(Optional.empty(), List.of());

  static HttpHead parse(String section) {
    List<String> lines = Text.lines(section);
    int i = 0;
    while (i < lines.size() && lines.get(i).isBlank()) {
      i++;
    }
    if (i == lines.size()) {
      return EMPTY;
    }
    String first = lines.get(i++);
    List<Header> headers = new ArrayList<>();
    for (int n = 0; i < lines.size() && n < MAX_HEADER_LINES && !lines.get(i).isEmpty(); i++, n++) {
      String line = lines.get(i);
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

  /** The space-separated fields of the first line. */
  List<String> firstLineFields() {
    return firstLine.map(Text::fields).orElse(List.of());
  }
}
