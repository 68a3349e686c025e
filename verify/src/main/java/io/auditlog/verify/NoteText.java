package io.auditlog.verify;

/**
 * The character rules of C2SP signed notes: well-formed Unicode without control characters other than LF, and key
 * names that are non-empty, without spaces and without '+'.
 */
final class NoteText {

  private NoteText() {
  }

  /** Rejects lone surrogates and the control characters (U+0000–U+001F, U+007F–U+009F) other than LF. */
  static void requireText(String what, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\n') {
        throw new IllegalArgumentException(what + " has the control character U+"
            + String.format("%04X", (int) c) + " at index " + i);
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(what + " has a lone surrogate at index " + i);
      }
    }
  }

  /** {@link #requireText} for one line: LF is rejected too. */
  static void requireLine(String what, String line) {
    if (line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(what + " is more than one line");
    }
    requireText(what, line);
  }

  /** A key name: non-empty, one line, no Unicode space and no '+'. */
  static void requireKeyName(String name) {
    requireLine("the key name", name);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a key name is not empty");
    }
    if (name.indexOf('+') >= 0 || name.codePoints().anyMatch(c -> Character.isWhitespace(c)
        || Character.isSpaceChar(c))) {
      throw new IllegalArgumentException("a key name has no spaces and no '+': \"" + name + "\"");
    }
  }
}
