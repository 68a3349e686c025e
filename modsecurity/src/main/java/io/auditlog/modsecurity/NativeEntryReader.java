package io.auditlog.modsecurity;

import java.util.Optional;

/** Turns the sections of a native entry into an {@link Entry}. */
final class NativeEntryReader {
  private NativeEntryReader() {
  }

  static Entry read(NativeSections sections, Limits limits, Optional<String> summary) throws EntryRejected {
    String aText = text(sections, "A").orElse("");
    String aLine = Text.lines(aText).stream().filter(line -> !line.isBlank()).findFirst()
        .orElseThrow(() -> new EntryRejected("missing_unique_id", "Entry has no unique id"));
    ALine a = ALine.parse(aLine);
    Optional<String> h = text(sections, "H");
    Trailer trailer = TrailerParser.parse(h.orElse(""), limits.maxMessages());
    boolean v3 = sections.boundary().startsWith("-")
        || h.map(t -> t.startsWith("ModSecurity: ") || t.contains("\nModSecurity: ")).orElse(false);
    return new Entry(v3 ? "native-3" : "native-2", a, head(sections, "B"), head(sections, "F"), trailer,
        Optional.of(sections), Optional.empty(), summary);
  }

  private static HttpHead head(NativeSections sections, String letter) {
    return text(sections, letter).map(HttpHead::parse).orElse(HttpHead.EMPTY);
  }

  private static Optional<String> text(NativeSections sections, String letter) {
    byte[] bytes = sections.sections().get(letter);
    return bytes == null ? Optional.empty() : Optional.of(Text.lenient(bytes, 0, bytes.length));
  }
}
