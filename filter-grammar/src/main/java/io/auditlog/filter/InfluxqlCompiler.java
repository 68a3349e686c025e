package io.auditlog.filter;

import io.auditlog.filter.Filter.Condition;
import io.auditlog.model.InfluxQl;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compiles a filter (in negation normal form) to an InfluxQL condition. What InfluxQL expresses with the same
 * meaning is compiled; the rest (category, metadata, {@code @ipMatch}, string ordering, negations of fields an event
 * may lack, regex constructs RE2 lacks) widens to "any point" and marks the result inexact. Every literal goes
 * through {@link InfluxQl}.
 */
public final class InfluxqlCompiler {

  /** Regular expressions that mean the same in Java and RE2: no lookaround, backreferences or possessives. */
  private static final Pattern PORTABLE = Pattern.compile(
      "(?:\\(\\?[is]{1,2}\\))?(?:[^\\\\(]|\\\\[dDwWsSbB.\\\\^$|?*+()\\[\\]{}/\\-ntr]|\\((?!\\?))*");
  private static final Pattern POSSESSIVE = Pattern.compile("[*+?}]\\+");

  private final Instant now;

  /** @param now the moment {@code age} is measured from; the evaluator must use the same one */
  public InfluxqlCompiler(Instant now) {
    this.now = now;
  }

  public CompiledFilter compile(Filter filter) {
    boolean[] exact = {true};
    Optional<String> where = compile(filter.negationNormalForm(), exact);
    return new CompiledFilter(where.orElse(""), exact[0]);
  }

  private Optional<String> compile(Filter filter, boolean[] exact) {
    if (filter instanceof Filter.MatchAll) {
      return Optional.empty();
    }
    if (filter instanceof Filter.And and) {
      List<String> parts = new ArrayList<>();
      for (Filter part : and.parts()) {
        compile(part, exact).ifPresent(parts::add);
      }
      return join(parts, " AND ");
    }
    if (filter instanceof Filter.Or or) {
      List<String> parts = new ArrayList<>();
      for (Filter part : or.parts()) {
        Optional<String> compiled = compile(part, exact);
        if (compiled.isEmpty()) {
          exact[0] = false;
          return Optional.empty();
        }
        parts.add(compiled.get());
      }
      if (parts.isEmpty()) {
        exact[0] = false;
      }
      return join(parts, " OR ");
    }
    Optional<String> condition = condition((Condition) filter);
    if (condition.isEmpty()) {
      exact[0] = false;
    }
    return condition;
  }

  private static Optional<String> join(List<String> parts, String operator) {
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parts.size() == 1 ? parts.get(0) : "(" + String.join(operator, parts) + ")");
  }

  private Optional<String> condition(Condition c) {
    Variable variable = c.variable();
    String column = InfluxQl.identifier(variable.column());
    return switch (variable.kind()) {
      case CATEGORY, METADATA -> Optional.empty();
      case NUMBER -> c.negated() && !variable.alwaysPresent() ? Optional.empty()
          : Optional.of(column + " " + comparison(c.operator(), c.negated()) + " "
              + BigDecimal.valueOf(Literals.number(c.literal()).orElseThrow()).toPlainString());
      case TIME -> time(c.operator(), c.negated(), FilterEvaluator.nanos(Literals.instant(c.literal()).orElseThrow()));
      case AGE -> time(mirror(c.operator()), c.negated(),
          FilterEvaluator.nanos(now.minus(Literals.duration(c.literal()).orElseThrow())));
      case TAG, TEXT -> text(c, column, variable.kind() == Variable.Kind.TAG || variable.alwaysPresent());
    };
  }

  /** Age and time run opposite ways: age < 15m means time > now - 15m. */
  private static Operator mirror(Operator op) {
    return switch (op) {
      case LT -> Operator.GT;
      case LE -> Operator.GE;
      case GT -> Operator.LT;
      case GE -> Operator.LE;
      default -> op;
    };
  }

  private static Optional<String> time(Operator op, boolean negated, long nanos) {
    if (op == Operator.EQ && negated) {
      return Optional.empty();
    }
    return Optional.of("time " + comparison(op, negated) + " " + nanos);
  }

  private static String comparison(Operator op, boolean negated) {
    return switch (op) {
      case EQ -> negated ? "!=" : "=";
      case LT -> negated ? ">=" : "<";
      case LE -> negated ? ">" : "<=";
      case GT -> negated ? "<=" : ">";
      case GE -> negated ? "<" : ">=";
      default -> throw new IllegalArgumentException(op + " is not a comparison");
    };
  }

  /**
   * Strings: equality and patterns. A missing tag reads as '' in InfluxQL, so a pattern that matches '' is left to
   * the evaluator, as is a negation on a field an event may lack.
   */
  private static Optional<String> text(Condition c, String column, boolean negationIsExact) {
    if (c.negated() && !negationIsExact) {
      return Optional.empty();
    }
    if (c.operator() == Operator.EQ) {
      if (c.literal().isEmpty() && c.variable().kind() == Variable.Kind.TAG) {
        // InfluxQL reads a missing tag as '', which the language never equals.
        return Optional.empty();
      }
      return Optional.of(column + (c.negated() ? " != " : " = ") + InfluxQl.string(c.literal()));
    }
    Optional<String> pattern = pattern(c.operator(), c.literal());
    if (pattern.isEmpty() || Pattern.compile(pattern.get()).matcher("").find()) {
      return Optional.empty();
    }
    return Optional.of(column + (c.negated() ? " !~ " : " =~ ") + InfluxQl.regex(pattern.get()));
  }

  /** The RE2 pattern (searching, so anchored where the operator matches whole values) for a text operator. */
  private static Optional<String> pattern(Operator op, String literal) {
    return switch (op) {
      case RX -> PORTABLE.matcher(literal).matches() && !POSSESSIVE.matcher(literal).find()
          ? Optional.of("^(?:" + literal + ")$") : Optional.empty();
      case SX -> Optional.of("^(?:" + Literals.wildcardRegex(literal) + ")$");
      case IN -> {
        List<String> alternatives = Literals.list(literal).stream()
            .map(p -> "(?:" + Literals.wildcardRegex(p) + ")").toList();
        yield alternatives.isEmpty() ? Optional.empty()
            : Optional.of("^(?:" + String.join("|", alternatives) + ")$");
      }
      case PM -> {
        List<String> phrases = List.of(literal.trim().split("\\s+")).stream().filter(p -> !p.isEmpty())
            .map(InfluxQl::quoteRegex).toList();
        yield phrases.isEmpty() ? Optional.empty() : Optional.of(String.join("|", phrases));
      }
      case CONTAINS -> Optional.of(InfluxQl.quoteRegex(literal));
      case BEGINS_WITH -> Optional.of("^" + InfluxQl.quoteRegex(literal));
      case ENDS_WITH -> Optional.of(InfluxQl.quoteRegex(literal) + "$");
      default -> Optional.empty();
    };
  }
}
