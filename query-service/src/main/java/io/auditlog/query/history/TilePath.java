package io.auditlog.query.history;

import io.auditlog.verify.UnsignedNumbers;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C2SP tlog-tiles resource: the tile {@code <L>/<N>[.p/<W>]} or the entry bundle {@code entries/<N>[.p/<W>]}. N is
 * written in zero-padded groups of three digits, all but the last prefixed with {@code x} (1234067 is
 * {@code x001/x234/067}); W, only for a partial tile, is 1–255; L is 0–63. Only the canonical spelling of each
 * number parses: anything else is a 422 at {@code ["path", "L" | "N" | "W"]}.
 *
 * @param level the tile level (tree level 8L); 0 for a bundle
 * @param index N
 * @param width the number of hashes or entries: 256 for a full tile, W for a partial one
 */
record TilePath(boolean entries, int level, long index, int width) {

  static final int FULL = 256;
  private static final int MAX_LEVEL = 63;
  private static final Pattern PARTIAL = Pattern.compile("(.*)\\.p/([^/]*)");
  private static final Pattern GROUP = Pattern.compile("x[0-9]{3}");
  private static final Pattern LAST_GROUP = Pattern.compile("[0-9]{3}");

  /** Reads the path after {@code tile/}. */
  static TilePath parse(String path) {
    boolean entries = path.startsWith("entries/");
    String rest = entries ? path.substring("entries/".length()) : path;
    int level = 0;
    if (!entries) {
      int slash = rest.indexOf('/');
      String levelText = slash < 0 ? rest : rest.substring(0, slash);
      long parsed = UnsignedParams.parse("path", "L", levelText);
      if (Long.compareUnsigned(parsed, MAX_LEVEL) > 0) {
        throw HistoryErrors.invalid("path", "L", "must be a tile level from 0 to 63", "value_error.tile_level");
      }
      level = (int) parsed;
      rest = slash < 0 ? "" : rest.substring(slash + 1);
    }
    int width = FULL;
    Matcher partial = PARTIAL.matcher(rest);
    if (partial.matches()) {
      long parsed = UnsignedParams.parse("path", "W", partial.group(2));
      if (parsed < 1 || parsed >= FULL) {
        throw HistoryErrors.invalid("path", "W", "must be a partial tile width from 1 to 255",
            "value_error.tile_width");
      }
      width = (int) parsed;
      rest = partial.group(1);
    }
    return new TilePath(entries, level, index(rest), width);
  }

  /** N from its groups: only the canonical spelling ({@link #indexPath}) of a value up to 2^64 − 1. */
  private static long index(String text) {
    String[] groups = text.split("/", -1);
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < groups.length; i++) {
      boolean last = i == groups.length - 1;
      if (!(last ? LAST_GROUP : GROUP).matcher(groups[i]).matches()) {
        throw malformedIndex();
      }
      digits.append(last ? groups[i] : groups[i].substring(1));
    }
    String trimmed = digits.toString().replaceFirst("^0+(?=.)", "");
    long index;
    try {
      index = UnsignedNumbers.parse(trimmed);
    } catch (NumberFormatException e) {
      throw malformedIndex();
    }
    if (!indexPath(index).equals(text)) {
      throw malformedIndex();
    }
    return index;
  }

  /** N as a tile path writes it: 1234067 is {@code x001/x234/067}, 5 is {@code 005}. */
  static String indexPath(long index) {
    String digits = Long.toUnsignedString(index);
    digits = "0".repeat((3 - digits.length() % 3) % 3) + digits;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 3) {
      if (i + 3 < digits.length()) {
        path.append('x').append(digits, i, i + 3).append('/');
      } else {
        path.append(digits, i, i + 3);
      }
    }
    return path.toString();
  }

  private static RuntimeException malformedIndex() {
    return HistoryErrors.invalid("path", "N", "must be a tile index in groups of three digits, all but the last "
        + "prefixed with x (e.g. x001/x234/067), up to 2^64 - 1", "type_error.tile_index");
  }

  /**
   * Whether the tree of the given size holds every hash (or entry) of this tile: the tile's hashes are the nodes of
   * tree level 8L, and the first {@code width} of those from {@code 256 × index} must be complete.
   */
  boolean coveredBy(long size) {
    int treeLevel = 8 * level;
    long complete = treeLevel >= Long.SIZE ? 0 : size >>> treeLevel;
    if (Long.compareUnsigned(index, complete >>> 8) > 0) {
      return false;
    }
    return index * FULL + width <= complete;
  }
}
