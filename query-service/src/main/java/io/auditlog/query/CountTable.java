package io.auditlog.query;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code count?variable=V}: {@code V;COUNT}, then one {@code value;count} line per value. A value (or
 * the header's name) holding {@code ;}, {@code "} or a line break is quoted, with {@code ""} for {@code "}.
 */
final class CountTable {

  private CountTable() {
  }

  static String csv(String variable, List<Map.Entry<String, Long>> counts) {
    StringBuilder text = new StringBuilder(quoted(variable)).append(";COUNT\n");
    for (Map.Entry<String, Long> count : counts) {
      text.append(quoted(count.getKey())).append(';').append(count.getValue()).append('\n');
    }
    return text.toString();
  }

  static String quoted(String value) {
    if (value.indexOf(';') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
