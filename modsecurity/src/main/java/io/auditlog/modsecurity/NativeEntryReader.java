package io.auditlog.modsecurity;

import java.util.Optional;

/**
 * Turns the sections of a native entry into an {@link Entry}, reading from the section bytes only the lines it uses:
 * the first line of A that is not blank, the heads of B and F, and the known lines of H.
 */
final class NativeEntryReader {
  private static final byte[] NONE = new byte[0];

  private NativeEntryReader() {
  }

  static Entry read(NativeSections sections, Limits limits, Optional<String> summary) throws EntryRejected {
    String aLine = ByteLines.firstNonBlank(section(sections, "A"));
    if (aLine == null) {
      throw new EntryRejected("missing_unique_id", "Entry has no unique id");
    }
    ALine a = ALine.parse(aLine);
    byte[] h = section(sections, "H");
    Trailer trailer = TrailerParser.parse(h, limits.maxMessages());
    boolean v3 = sections.boundary().startsWith("-") || ByteLines.anyStartsWith(h, "ModSecurity: ");
    return new Entry(v3 ? "native-3" : "native-2", a, head(sections, "B"), head(sections, "F"), trailer,
        Optional.of(sections), Optional.empty(), summary);
  }

  private static HttpHead head(NativeSections sections, String letter) {
    byte[] bytes = sections.sections().get(letter);
    return bytes == null ? HttpHead.EMPTY : HttpHead.parse(bytes);
  }

  private static byte[] section(NativeSections sections, String letter) {
    return sections.sections().getOrDefault(letter, NONE);
  }
}
