package io.auditlog.store.read;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The aggregations with InfluxQL's own semantics, for the groupings InfluxQL cannot do itself (by {@code origin},
 * a field): {@code median} averages the two middle values, {@code stddev} is the sample deviation (undefined for one
 * value), {@code pNN} is the nearest-rank value InfluxQL's {@code percentile} picks, first and last follow time.
 * Values arrive in time order.
 */
public final class Aggregator {

  private Aggregator() {
  }

  public static OptionalDouble apply(Aggregation aggregation, double[] inTimeOrder) {
    int n = inTimeOrder.length;
    if (n == 0) {
      return OptionalDouble.empty();
    }
    double[] sorted = inTimeOrder.clone();
    Arrays.sort(sorted);
    double sum = Arrays.stream(inTimeOrder).sum();
    return switch (aggregation) {
      case MEAN -> OptionalDouble.of(sum / n);
      case SUM -> OptionalDouble.of(sum);
      case COUNT -> OptionalDouble.of(n);
      case MIN -> OptionalDouble.of(sorted[0]);
      case MAX -> OptionalDouble.of(sorted[n - 1]);
      case SPREAD -> OptionalDouble.of(sorted[n - 1] - sorted[0]);
      case FIRST -> OptionalDouble.of(inTimeOrder[0]);
      case LAST -> OptionalDouble.of(inTimeOrder[n - 1]);
      case MEDIAN -> OptionalDouble.of(n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
      case STDDEV -> {
        if (n < 2) {
          yield OptionalDouble.empty();
        }
        double mean = sum / n;
        double squares = Arrays.stream(inTimeOrder).map(v -> (v - mean) * (v - mean)).sum();
        yield OptionalDouble.of(Math.sqrt(squares / (n - 1)));
      }
      case P50, P90, P95, P99 -> {
        double p = Integer.parseInt(aggregation.name().substring(1));
        int index = (int) Math.floor(n * p / 100.0 + 0.5) - 1;
        yield index < 0 || index >= n ? OptionalDouble.empty() : OptionalDouble.of(sorted[index]);
      }
    };
  }
}
