package io.auditlog.store;

import io.auditlog.filter.FilterEvaluator;

/**
 * A filter as an InfluxQL condition: {@code where} (empty when nothing could be expressed, i.e. every point) and
 * whether it is {@code exact}. When it is not exact, the condition selects a superset and the
 * {@link FilterEvaluator} must decide on each returned event.
 */
public record CompiledFilter(InfluxQl where, boolean exact) {

  /** {@code where} joined onto an existing condition with AND, or the condition alone when there is nothing. */
  public InfluxQl andTo(InfluxQl condition) {
    return where.isEmpty() ? condition : condition.then(" AND (").then(where).then(")");
  }
}
