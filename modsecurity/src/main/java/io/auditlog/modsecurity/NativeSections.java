package io.auditlog.modsecurity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A native entry cut into its sections, with what a byte-for-byte rebuild needs: the bytes before the first boundary
 * ({@code lead}), the line ending ({@code eol}) and, when the entry is not uniformly laid out, every line ending of
 * its structure ({@code eols}: each boundary line's ending, then the break before the next boundary line; "" where
 * there is none).
 */
record NativeSections(String boundary, String lead, String eol, Optional<List<String>> eols, List<String> order,
                      Map<String, byte[]> sections) {
  private static final String[] LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("");

  /** The boundary of a boundary line {@code --<b>-<L>--} ({@code b}: 1–64 of {@code [-@0-9A-Za-z]}), or null. */
  static String boundaryOf(byte[] bytes, int from, int to) {
    return isBoundaryLine(bytes, from, to)
        ? new String(bytes, from + 2, to - from - 6, java.nio.charset.StandardCharsets.US_ASCII) : null;
  }

  /** True when {@code bytes[from, to)} is a boundary line. */
  static boolean isBoundaryLine(byte[] bytes, int from, int to) {
    int length = to - from;
    if (length < 6 || length > 69 || bytes[from] != '-' || bytes[from + 1] != '-' || bytes[to - 1] != '-'
        || bytes[to - 2] != '-' || bytes[to - 4] != '-' || bytes[to - 3] < 'A' || bytes[to - 3] > 'Z') {
      return false;
    }
    for (int i = from + 2; i < to - 4; i++) {
      byte b = bytes[i];
      if (!(b == '-' || b == '@' || (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  /** True when the boundary line {@code bytes[from, to)} has the (ASCII) boundary {@code boundary}. */
  private static boolean hasBoundary(byte[] bytes, int from, int to, String boundary) {
    if (to - from - 6 != boundary.length()) {
      return false;
    }
    for (int i = 0; i < boundary.length(); i++) {
      if (bytes[from + 2 + i] != boundary.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The section letter of a boundary line: one shared string per letter, as an entry may hold many such lines. */
  static String letterOf(byte[] bytes, int to) {
    return LETTERS[bytes[to - 3] - 'A'];
  }

  /** The length of the line ending at {@code end} (which points at LF or at the end of the bytes). */
  private static String eolAt(byte[] bytes, int lineStart, int end) {
    if (end >= bytes.length) {
      return "";
    }
    return end > lineStart && bytes[end - 1] == '\r' ? "\r\n" : "\n";
  }

  /**
   * Splits a native entry that starts after {@code leadEnd} with a boundary line. The entry's boundary is the one of
   * its first A line: only lines with that boundary are structure, so a boundary-like line with another boundary (one
   * inside a logged body, say) is text of its section.
   *
   * @throws EntryRejected missing_a, missing_z or two_entries
   */
  static NativeSections split(byte[] bytes, int leadEnd) throws EntryRejected {
    String boundary = firstABoundary(bytes, leadEnd);
    List<String> order = new ArrayList<>();
    Map<String, byte[]> sections = new LinkedHashMap<>();
    List<String> eols = new ArrayList<>();
    int structureStart = -1;
    int textStart = -1;
    int lastTextLineEnd = -1;
    String lastBreak = "";
    String letter = null;
    boolean afterZ = false;
    int pos = leadEnd;
    while (pos < bytes.length) {
      int lf = indexOf(bytes, pos);
      int end = lf < 0 ? bytes.length : lf;
      String eol = eolAt(bytes, pos, end);
      int contentEnd = end - (eol.equals("\r\n") ? 1 : 0);
      boolean boundaryLine = isBoundaryLine(bytes, pos, contentEnd);
      boolean own = boundaryLine && hasBoundary(bytes, pos, contentEnd, boundary);
      String lineLetter = boundaryLine ? letterOf(bytes, contentEnd) : null;
      if ("A".equals(lineLetter) && (afterZ || own && order.contains("A"))) {
        throw new EntryRejected("two_entries", "Upload holds more than one entry");
      }
      if (own && !afterZ) {
        if (letter != null) {
          store(sections, letter, bytes, textStart, lastTextLineEnd < 0 ? textStart : lastTextLineEnd);
          eols.add(lastTextLineEnd < 0 ? "" : lastBreak);
        } else {
          structureStart = pos;
        }
        letter = lineLetter;
        order.add(letter);
        eols.add(eol);
        afterZ = letter.equals("Z");
        textStart = lf < 0 ? bytes.length : lf + 1;
        lastTextLineEnd = -1;
      } else {
        lastTextLineEnd = contentEnd;
        lastBreak = eol;
      }
      pos = lf < 0 ? bytes.length : lf + 1;
    }
    store(sections, letter, bytes, Math.min(textStart, bytes.length), bytes.length);
    if (!order.contains("Z")) {
      throw new EntryRejected("missing_z", "Entry has no Z section");
    }
    return new NativeSections(boundary, Text.lenient(bytes, 0, structureStart), eolName(eols), uniformOrNot(eols),
        List.copyOf(order), sections);
  }

  /**
   * The boundary of the first A line from {@code from} on.
   *
   * @throws EntryRejected missing_z when the entry has no A line and was cut, else missing_a
   */
  private static String firstABoundary(byte[] bytes, int from) throws EntryRejected {
    boolean sawZ = false;
    int pos = from;
    while (pos < bytes.length) {
      int lf = indexOf(bytes, pos);
      int end = lf < 0 ? bytes.length : lf;
      int contentEnd = end > pos && bytes[end - 1] == '\r' ? end - 1 : end;
      boolean boundaryLine = isBoundaryLine(bytes, pos, contentEnd);
      if (boundaryLine && letterOf(bytes, contentEnd).equals("A")) {
        return boundaryOf(bytes, pos, contentEnd);
      }
      sawZ |= boundaryLine && letterOf(bytes, contentEnd).equals("Z");
      pos = end + 1;
    }
    throw sawZ ? new EntryRejected("missing_a", "Entry has no A section")
        : new EntryRejected("missing_z", "Entry has no Z section");
  }

  private static void store(Map<String, byte[]> sections, String letter, byte[] bytes, int from, int to) {
    if (!sections.containsKey(letter)) {
      sections.put(letter, java.util.Arrays.copyOfRange(bytes, from, Math.max(from, to)));
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String eolName(List<String> eols) {
    boolean lf = eols.contains("\n");
    boolean crlf = eols.contains("\r\n");
    return lf && crlf ? "mixed" : crlf ? "\r\n" : "\n";
  }

  /** The structure's line endings, unless all of them are one and the same ending. */
  private static Optional<List<String>> uniformOrNot(List<String> eols) {
    String first = eols.get(0);
    boolean uniform = !first.isEmpty() && eols.stream().allMatch(first::equals);
    return uniform ? Optional.empty() : Optional.of(Collections.unmodifiableList(eols));
  }
}
