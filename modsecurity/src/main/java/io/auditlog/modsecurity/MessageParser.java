package io.auditlog.modsecurity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reads a message in the trailer's syntax: an optional action ({@code Warning.}, or {@code Access denied … (phase
 * N).}, which makes it disruptive), the operator text, then {@code [name "value"]} items where {@code \"} is a quote.
 */
final class MessageParser {
  private static final String ACCESS_DENIED = "Access denied";
  private static final String WARNING = "Warning.";

  private MessageParser() {
  }

  static Message parse(String message) {
    String rest = message.strip();
    boolean disruptive = false;
    Integer phase = null;
    if (rest.startsWith(WARNING)) {
      rest = rest.substring(WARNING.length());
    } else if (rest.startsWith(ACCESS_DENIED)) {
      disruptive = true;
      int end = actionEnd(rest);
      phase = phase(rest.substring(0, end));
      rest = rest.substring(end);
    }
    int itemsStart = itemsStart(rest);
    String text = rest.substring(0, itemsStart).strip();
    Map<String, String> items = new HashMap<>();
    List<String> tags = new ArrayList<>();
    readItems(rest, itemsStart, items, tags);
    OptionalInt severity = Severity.number(items.get("severity"));
    return new Message(nonEmpty(items.get("id")), cut(items.get("msg"), Message.MAX_MSG_BYTES),
        severity.isPresent() ? severity.getAsInt() : null, text.isEmpty() ? null : text,
        cut(items.get("data"), Message.MAX_DATA_BYTES), List.copyOf(tags), nonEmpty(items.get("file")),
        lineNumber(items.get("line")), nonEmpty(items.get("rev")), nonEmpty(items.get("ver")), disruptive,
        phase);
  }

  /** The end of an {@code Access denied …} action: after {@code (phase N).}, else after the first ". ". */
  private static int actionEnd(String text) {
    int phase = text.indexOf("(phase ");
    if (phase >= 0) {
      int close = text.indexOf(')', phase);
      if (close > 0) {
        return close + 1 < text.length() && text.charAt(close + 1) == '.' ? close + 2 : close + 1;
      }
    }
    int stop = text.indexOf(". ");
    return stop < 0 ? text.length() : stop + 1;
  }

  /** The N of {@code (phase N)}, or null. */
  static Integer phase(String action) {
    int at = action.indexOf("(phase ");
    if (at < 0) {
      return null;
    }
    int start = at + "(phase ".length();
    int end = start;
    while (end < action.length() && end - start < 3 && Character.isDigit(action.charAt(end))) {
      end++;
    }
    return end > start ? Integer.valueOf(action.substring(start, end)) : null;
  }

  /** Where the items begin: the first {@code [name "} with a name of letters and underscores. */
  private static int itemsStart(String text) {
    for (int at = text.indexOf('['); at >= 0; at = text.indexOf('[', at + 1)) {
      if (nameEnd(text, at + 1) > 0) {
        return at;
      }
    }
    return text.length();
  }

  /** The end of an item name starting at {@code from}, when it is followed by {@code  "}; else -1. */
  private static int nameEnd(String text, int from) {
    int end = from;
    while (end < text.length() && end - from < 32
        && (Character.isLetter(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    return end > from && text.startsWith(" \"", end) ? end : -1;
  }

  private static void readItems(String text, int from, Map<String, String> items, List<String> tags) {
    int at = from;
    while (true) {
      while (at < text.length() && text.charAt(at) == ' ') {
        at++;
      }
      if (at >= text.length() || text.charAt(at) != '[') {
        return;
      }
      int nameEnd = nameEnd(text, at + 1);
      if (nameEnd < 0) {
        return;
      }
      String name = text.substring(at + 1, nameEnd);
      StringBuilder value = new StringBuilder();
      int i = nameEnd + 2;
      while (i < text.length() && text.charAt(i) != '"') {
        char c = text.charAt(i);
        if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
          c = text.charAt(++i);
        }
        value.append(c);
        i++;
      }
      if (i + 1 >= text.length() || text.charAt(i + 1) != ']') {
        return;
      }
      if (name.equals("tag")) {
        tags.add(value.toString());
      } else {
        items.putIfAbsent(name, value.toString());
      }
      at = i + 2;
    }
  }

  private static String nonEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static String cut(String value, int maxBytes) {
    return value == null || value.isEmpty() ? null : Text.cutBytes(value, maxBytes);
  }

  private static Integer lineNumber(String value) {
    return value != null && Text.digits(value, 9) ? Integer.valueOf(value) : null;
  }
}
