package io.auditlog.store;

import com.google.re2j.Pattern;
import io.auditlog.filter.Filter;
import io.auditlog.filter.Filter.Condition;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.LevelNumbers;
import io.auditlog.filter.Literals;
import io.auditlog.filter.Operator;
import io.auditlog.filter.StoreTime;
import io.auditlog.filter.Variable;
import io.auditlog.model.InfluxNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles a filter (in negation normal form) to an InfluxQL condition. What InfluxQL expresses with the same
 * meaning is compiled; the rest (category, metadata, {@code @ipMatch}, string ordering, negations of fields an event
 * may lack, the ModSecurity variables, {@code &VAR}) widens to "any point" and marks the result inexact;
 * {@code UNIQUE_ID = x} narrows to a coarse superset, also inexact. Every literal, pattern and column is a bound
 * parameter of {@link InfluxQl}; patterns are RE2, which the filter parser has already checked with RE2/J.
 */
public final class InfluxqlCompiler {

  private final Instant now;

  /** @param now the moment {@code age} is measured from; the evaluator must use the same one */
  public InfluxqlCompiler(Instant now) {
    this.now = now;
  }

  public CompiledFilter compile(Filter filter) {
    boolean[] exact = {true};
    Optional<InfluxQl> where = compile(filter.negationNormalForm(), exact);
    return new CompiledFilter(where.orElse(InfluxQl.sql("")), exact[0]);
  }

  private Optional<InfluxQl> compile(Filter filter, boolean[] exact) {
    if (filter instanceof Filter.MatchAll) {
      return Optional.empty();
    }
    if (filter instanceof Filter.And and) {
      List<InfluxQl> parts = new ArrayList<>();
      for (Filter part : and.parts()) {
        compile(part, exact).ifPresent(parts::add);
      }
      return join(parts, " AND ");
    }
    if (filter instanceof Filter.Or or) {
      List<InfluxQl> parts = new ArrayList<>();
      for (Filter part : or.parts()) {
        Optional<InfluxQl> compiled = compile(part, exact);
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
    Optional<InfluxQl> condition = condition((Condition) filter);
    if (condition.isEmpty() || ((Condition) filter).variable().kind() == Variable.Kind.IDS) {
      exact[0] = false;
    }
    return condition;
  }

  private static Optional<InfluxQl> join(List<InfluxQl> parts, String operator) {
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parts.size() == 1 ? parts.get(0)
        : InfluxQl.sql("(").then(InfluxQl.join(parts, operator)).then(")"));
  }

  private Optional<InfluxQl> condition(Condition c) {
    Variable variable = c.variable();
    if (variable.counted()) {
      return Optional.empty();
    }
    InfluxQl column = InfluxQl.identifier(variable.column());
    return switch (variable.kind()) {
      case CATEGORY, METADATA, SENSOR_TIME, MODSEC -> Optional.empty();
      case IDS -> ids(c);
      case SEVERITY -> c.operator().isTextual() || Literals.number(c.literal()).isEmpty() ? text(c, column, true)
          : severity(c, column);
      case NUMBER -> c.negated() && !variable.alwaysPresent() ? Optional.empty()
          : Optional.of(column.then(" " + comparison(c.operator(), c.negated()) + " ")
              .then(InfluxQl.number(Literals.number(c.literal()).orElseThrow())));
      case TIME -> time(c.operator(), c.negated(), StoreTime.nanos(Literals.instant(c.literal()).orElseThrow()));
      case AGE -> time(mirror(c.operator()), c.negated(),
          StoreTime.nanos(StoreTime.before(now, Literals.duration(c.literal()).orElseThrow())));
      case TAG, TEXT -> text(c, column, variable.kind() == Variable.Kind.TAG || variable.alwaysPresent());
    };
  }

  /**
   * {@code SEVERITY} with a number: the level names whose number compares so, case ignored; none is left to the
   * evaluator.
   */
  private static Optional<InfluxQl> severity(Condition c, InfluxQl column) {
    double literal = Literals.number(c.literal()).orElseThrow();
    List<String> names = LevelNumbers.NUMBERS.entrySet().stream()
        .filter(level -> FilterEvaluator.compare(c.operator(), Double.compare(level.getValue(), literal)))
        .map(level -> Pattern.quote(level.getKey())).sorted().toList();
    return names.isEmpty() ? Optional.empty() : Optional.of(column.then(c.negated() ? " !~ " : " =~ ")
        .then(InfluxQl.regex("^(?i:" + String.join("|", names) + ")$")));
  }

  /**
   * {@code UNIQUE_ID = x}: the event id, or a metadata text holding x as a JSON string — a coarse selection, so the
   * result stays inexact; anything else is left to the evaluator.
   */
  private static Optional<InfluxQl> ids(Condition c) {
    if (c.negated() || c.operator() != Operator.EQ) {
      return Optional.empty();
    }
    return metadataHolding(c.literal()).map(metadata -> InfluxQl.sql("(")
        .then(InfluxQl.identifier(InfluxNames.FIELD_ID)).then(" = ").then(InfluxQl.string(c.literal()))
        .then(" OR ").then(metadata).then(")"));
  }

  /**
   * A condition that holds for every event whose metadata has an item with this text value: the stored metadata
   * JSON contains it verbatim between quotes. Empty for values JSON would escape.
   */
  public static Optional<InfluxQl> metadataHolding(String value) {
    if (value.isEmpty() || !value.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')) {
      return Optional.empty();
    }
    return Optional.of(InfluxQl.identifier(InfluxNames.FIELD_METADATA).then(" =~ ")
        .then(InfluxQl.regex(Pattern.quote("\"" + value + "\""))));
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

  private static Optional<InfluxQl> time(Operator op, boolean negated, long nanos) {
    if (op == Operator.EQ && negated) {
      return Optional.empty();
    }
    return Optional.of(InfluxQl.sql("time " + comparison(op, negated) + " ").then(InfluxQl.integer(nanos)));
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
  private static Optional<InfluxQl> text(Condition c, InfluxQl column, boolean negationIsExact) {
    if (c.negated() && !negationIsExact) {
      return Optional.empty();
    }
    if (c.operator() == Operator.EQ) {
      if (c.literal().isEmpty() && c.variable().kind() == Variable.Kind.TAG) {
        // InfluxQL reads a missing tag as '', which the language never equals.
        return Optional.empty();
      }
      return Optional.of(column.then(c.negated() ? " != " : " = ").then(InfluxQl.string(c.literal())));
    }
    Optional<String> pattern = pattern(c.operator(), c.literal());
    if (pattern.isEmpty() || Pattern.compile(pattern.get()).matcher("").find()) {
      return Optional.empty();
    }
    return Optional.of(column.then(c.negated() ? " !~ " : " =~ ").then(InfluxQl.regex(pattern.get())));
  }

  /** The RE2 pattern (searching, so anchored where the operator matches whole values) for a text operator. */
  private static Optional<String> pattern(Operator op, String literal) {
    return switch (op) {
      case RX -> Optional.of(Literals.anchoredRegex(literal));
      case SX -> Optional.of(Literals.anchoredRegex(Literals.wildcardRegex(literal)));
      case IN -> {
        List<String> alternatives = Literals.list(literal).stream()
            .map(p -> "(?:" + Literals.wildcardRegex(p) + ")").toList();
        yield alternatives.isEmpty() ? Optional.empty()
            : Optional.of(Literals.anchoredRegex(String.join("|", alternatives)));
      }
      case PM -> {
        List<String> phrases = List.of(literal.trim().split("\\s+")).stream().filter(p -> !p.isEmpty())
            .map(Pattern::quote).toList();
        yield phrases.isEmpty() ? Optional.empty() : Optional.of(String.join("|", phrases));
      }
      case CONTAINS -> Optional.of(Pattern.quote(literal));
      case BEGINS_WITH -> Optional.of("^" + Pattern.quote(literal));
      case ENDS_WITH -> Optional.of(Pattern.quote(literal) + "$");
      default -> Optional.empty();
    };
  }
}
