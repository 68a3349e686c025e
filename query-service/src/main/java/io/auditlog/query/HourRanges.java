package io.auditlog.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Hours to count again, as few ranges of hours: the statements a kept count sends to InfluxDB. */
final class HourRanges {

  private HourRanges() {
  }

  /**
   * The hours and ranges ({@code [from, to)}) as at most {@code max} ranges, in order: overlapping or touching ones
   * are joined, then, while there are more, those separated by the fewest hours (the hours between are counted too,
   * and not used). In {@code n log n}, whatever the number of hours.
   */
  static List<long[]> of(List<Long> hours, List<long[]> spans, int max) {
    List<long[]> all = new ArrayList<>(hours.size() + spans.size());
    hours.forEach(hour -> all.add(new long[] {hour, hour + 1}));
    spans.forEach(span -> all.add(span.clone()));
    all.sort(Comparator.comparingLong(range -> range[0]));
    List<long[]> joined = new ArrayList<>();
    for (long[] range : all) {
      long[] last = joined.isEmpty() ? null : joined.get(joined.size() - 1);
      if (last != null && range[0] <= last[1]) {
        last[1] = Math.max(last[1], range[1]);
      } else {
        joined.add(range);
      }
    }
    if (joined.size() <= max) {
      return joined;
    }
    List<Integer> gaps = new ArrayList<>();
    for (int i = 0; i + 1 < joined.size(); i++) {
      gaps.add(i);
    }
    gaps.sort(Comparator.comparingLong((Integer i) -> joined.get(i + 1)[0] - joined.get(i)[1]).reversed()
        .thenComparing(Comparator.naturalOrder()));
    boolean[] kept = new boolean[joined.size()];
    gaps.subList(0, max - 1).forEach(i -> kept[i] = true);
    List<long[]> ranges = new ArrayList<>();
    long[] current = joined.get(0).clone();
    for (int i = 0; i + 1 < joined.size(); i++) {
      if (kept[i]) {
        ranges.add(current);
        current = joined.get(i + 1).clone();
      } else {
        current[1] = joined.get(i + 1)[1];
      }
    }
    ranges.add(current);
    return ranges;
  }
}
