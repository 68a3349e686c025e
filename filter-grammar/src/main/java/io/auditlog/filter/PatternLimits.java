package io.auditlog.filter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size rules a pattern must meet before it is compiled. RE2/J bounds each counted repetition to 1,000 but not
 * repetitions of repetitions, nor the compiled program: {@code ((a{1000}){1000}){1000}} would exhaust the heap while
 * compiling. InfluxDB's Go regexp refuses a repetition nested in others whose counts multiply past 1,000 ("invalid
 * repeat count"); this applies the same rule, and bounds the estimated program size, by one pass over the pattern
 * (no recursion, so no pattern can exhaust the stack either).
 */
final class PatternLimits {

  /** Go's limit on the product of nested counted repetitions. */
  static final long MAX_REPEAT_PRODUCT = 1_000;
  /** The largest estimated program (about one instruction per literal, class or operator, times repetitions). */
  static final long MAX_PROGRAM_SIZE = 100_000;

  private static final Pattern COUNTED = Pattern.compile("\\{(\\d{1,9})(,(\\d{0,9}))?}");

  private PatternLimits() {
  }

  /** Why {@code pattern} is too large to compile, if it is. */
  static Optional<String> violation(String pattern) {
    Deque<Group> groups = new ArrayDeque<>();
    groups.push(new Group());
    Matcher counted = COUNTED.matcher(pattern);
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      Group group = groups.peek();
      if (c == '\\') {
        i = escape(pattern, i);
        group.atom();
      } else if (c == '[') {
        i = classEnd(pattern, i);
        group.atom();
      } else if (c == '(') {
        if (pattern.startsWith("(?<", i) && i + 3 < pattern.length() && "=!".indexOf(pattern.charAt(i + 3)) < 0) {
          // RE2/J takes (?<name>...), InfluxDB's Go regexp refuses it (a 500 once it got there).
          return Optional.of("a named group is written (?P<name>...)");
        }
        groups.push(new Group());
        i++;
      } else if (c == ')' && groups.size() > 1) {
        Group closed = groups.pop();
        groups.peek().add(closed.size(), closed.nesting());
        i++;
      } else if (c == '|') {
        group.alternative();
        i++;
      } else if (c == '*' || c == '+' || c == '?') {
        group.repeatLast(1, false);
        i++;
      } else if (c == '{' && counted.region(i, pattern.length()).lookingAt()) {
        long min = Long.parseLong(counted.group(1));
        String max = counted.group(3);
        long count = counted.group(2) == null ? min : max.isEmpty() ? min : Long.parseLong(max);
        group.repeatLast(Math.max(count, 1), count >= 2);
        i = counted.end();
      } else {
        group.atom();
        i++;
      }
    }
    long nesting = 1;
    long size = 0;
    while (!groups.isEmpty()) {
      Group group = groups.pop();
      nesting = Math.max(nesting, group.nesting());
      size += group.size();
    }
    if (nesting > MAX_REPEAT_PRODUCT) {
      return Optional.of("repetitions inside repetitions multiply to more than " + MAX_REPEAT_PRODUCT);
    }
    if (size > MAX_PROGRAM_SIZE) {
      return Optional.of("the pattern is too large (repetitions make it over " + MAX_PROGRAM_SIZE
          + " instructions)");
    }
    return Optional.empty();
  }

  /** The index after an escape: {@code \Q...\E}, {@code \p{...}}, {@code \x{...}} or a backslash and one char. */
  private static int escape(String pattern, int at) {
    if (at + 1 >= pattern.length()) {
      return pattern.length();
    }
    char next = pattern.charAt(at + 1);
    if (next == 'Q') {
      int end = pattern.indexOf("\\E", at + 2);
      return end < 0 ? pattern.length() : end + 2;
    }
    if ((next == 'p' || next == 'P' || next == 'x') && at + 2 < pattern.length() && pattern.charAt(at + 2) == '{') {
      int end = pattern.indexOf('}', at + 3);
      return end < 0 ? pattern.length() : end + 1;
    }
    return at + 2;
  }

  /** The index after a character class that starts at {@code at}. */
  private static int classEnd(String pattern, int at) {
    int i = at + 1;
    if (i < pattern.length() && pattern.charAt(i) == '^') {
      i++;
    }
    if (i < pattern.length() && pattern.charAt(i) == ']') {
      i++;
    }
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '[' && i + 1 < pattern.length() && pattern.charAt(i + 1) == ':') {
        int end = pattern.indexOf(":]", i + 2);
        i = end < 0 ? i + 1 : end + 2;
      } else if (c == ']') {
        return i + 1;
      } else {
        i++;
      }
    }
    return pattern.length();
  }

  /** One group being read: its finished alternatives, its current sequence and the last item of it. */
  private static final class Group {
    private long alternatives;
    private long sequence;
    private long lastSize;
    private long lastNesting = 1;
    private long nesting = 1;

    void atom() {
      add(1, 1);
    }

    void add(long size, long itemNesting) {
      sequence += size;
      lastSize = size;
      lastNesting = itemNesting;
      nesting = Math.max(nesting, itemNesting);
    }

    /** The last item repeated: its size times {@code times} plus one, its nesting times {@code times} if counted. */
    void repeatLast(long times, boolean counted) {
      long repeated = Math.min(lastSize * times + 1, MAX_PROGRAM_SIZE + 1);
      sequence += repeated - lastSize;
      lastSize = repeated;
      if (counted) {
        lastNesting = Math.min(lastNesting * times, MAX_REPEAT_PRODUCT + 1);
        nesting = Math.max(nesting, lastNesting);
      }
    }

    void alternative() {
      alternatives += sequence;
      sequence = 0;
      lastSize = 0;
      lastNesting = 1;
    }

    long size() {
      return alternatives + sequence;
    }

    long nesting() {
      return nesting;
    }
  }
}
