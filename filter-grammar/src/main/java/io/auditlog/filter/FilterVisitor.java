package io.auditlog.filter;

/** A computation over the filter tree, one method per node type. */
public interface FilterVisitor<R> {

  R visitAll(Filter.MatchAll all);

  R visitAnd(Filter.And and);

  R visitOr(Filter.Or or);

  R visitNot(Filter.Not not);

  R visitCondition(Filter.Condition condition);
}
