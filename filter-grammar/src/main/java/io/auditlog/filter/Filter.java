package io.auditlog.filter;

import java.util.ArrayList;
import java.util.List;

/** The immutable syntax tree of a filter. */
public sealed interface Filter {

  <R> R accept(FilterVisitor<R> visitor);

  /** The empty filter: every event. */
  record MatchAll() implements Filter {
    @Override
    public <R> R accept(FilterVisitor<R> visitor) {
      return visitor.visitAll(this);
    }
  }

  /** All parts hold. */
  record And(List<Filter> parts) implements Filter {
    public And {
      parts = List.copyOf(parts);
    }

    @Override
    public <R> R accept(FilterVisitor<R> visitor) {
      return visitor.visitAnd(this);
    }
  }

  /** At least one part holds. */
  record Or(List<Filter> parts) implements Filter {
    public Or {
      parts = List.copyOf(parts);
    }

    @Override
    public <R> R accept(FilterVisitor<R> visitor) {
      return visitor.visitOr(this);
    }
  }

  /** The operand does not hold. */
  record Not(Filter operand) implements Filter {
    @Override
    public <R> R accept(FilterVisitor<R> visitor) {
      return visitor.visitNot(this);
    }
  }

  /**
   * {@code variable operator literal}; when {@code negated}, true exactly when the positive form is false (so also
   * when the event lacks the variable).
   */
  record Condition(Variable variable, Operator operator, boolean negated, String literal) implements Filter {
    @Override
    public <R> R accept(FilterVisitor<R> visitor) {
      return visitor.visitCondition(this);
    }

    public Condition negate() {
      return new Condition(variable, operator, !negated, literal);
    }
  }

  /** The same filter with every NOT pushed down onto conditions (De Morgan), and nested ANDs/ORs flattened. */
  default Filter negationNormalForm() {
    return NegationNormalForm.of(this, false);
  }

  /** Rewrites a filter into negation normal form. */
  final class NegationNormalForm {
    private NegationNormalForm() {
    }

    static Filter of(Filter filter, boolean negate) {
      if (filter instanceof Not not) {
        return of(not.operand(), !negate);
      }
      if (filter instanceof Condition condition) {
        return negate ? condition.negate() : condition;
      }
      if (filter instanceof MatchAll all) {
        return negate ? new Or(List.of()) : all;
      }
      boolean isAnd = filter instanceof And;
      List<Filter> parts = isAnd ? ((And) filter).parts() : ((Or) filter).parts();
      boolean resultIsAnd = isAnd != negate;
      List<Filter> rewritten = new ArrayList<>();
      for (Filter part : parts) {
        Filter normal = of(part, negate);
        if (resultIsAnd && normal instanceof And inner) {
          rewritten.addAll(inner.parts());
        } else if (!resultIsAnd && normal instanceof Or inner) {
          rewritten.addAll(inner.parts());
        } else {
          rewritten.add(normal);
        }
      }
      return resultIsAnd ? new And(rewritten) : new Or(rewritten);
    }
  }
}
