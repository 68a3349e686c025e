package io.auditlog.filter;

import io.auditlog.filter.Filter.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import com.google.re2j.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Decides in memory whether an event matches a filter, with the language's exact semantics. It is the reference the
 * InfluxQL compiler must agree with, and it runs whatever the compiler cannot express. Patterns run on RE2/J, in time
 * linear in the value's length whatever the pattern, with the same syntax and meaning as InfluxDB's Go regexp; each
 * is compiled once per evaluator.
 */
public final class FilterEvaluator {

  private final Instant now;
  private final Runnable checkpoint;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  /** @param now the moment {@code age} is measured from */
  public FilterEvaluator(Instant now) {
    this(now, () -> { });
  }

  /**
   * @param now the moment {@code age} is measured from
   * @param checkpoint run again and again while a pattern reads a value; it throws to stop an evaluation that has
   *     run out of time
   */
  public FilterEvaluator(Instant now, Runnable checkpoint) {
    this.now = now;
    this.checkpoint = checkpoint;
  }

  public boolean matches(Filter filter, EventValues event) {
    return filter.accept(new FilterVisitor<>() {
      @Override
      public Boolean visitAll(Filter.MatchAll all) {
        return true;
      }

      @Override
      public Boolean visitAnd(Filter.And and) {
        return and.parts().stream().allMatch(part -> part.accept(this));
      }

      @Override
      public Boolean visitOr(Filter.Or or) {
        return or.parts().stream().anyMatch(part -> part.accept(this));
      }

      @Override
      public Boolean visitNot(Filter.Not not) {
        return !not.operand().accept(this);
      }

      @Override
      public Boolean visitCondition(Condition condition) {
        return condition.negated() != holds(condition, event.value(condition.variable()));
      }
    });
  }

  /**
   * The positive form of a condition. An absent value never satisfies it; a list does when any element does, so
   * never when it is empty. {@code &VAR} compares the number of values.
   */
  private boolean holds(Condition condition, Object value) {
    if (condition.variable().counted()) {
      return compare(condition.operator(), Double.compare(count(value),
          Literals.number(condition.literal()).orElseThrow()));
    }
    if (value instanceof List<?> list) {
      return list.stream().anyMatch(element -> element != null && holdsForOne(condition, element));
    }
    return value != null && holdsForOne(condition, value);
  }

  /** How many values a variable's value holds: the elements of a list, else 1, or 0 when absent. */
  public static int count(Object value) {
    return value == null ? 0 : value instanceof List<?> list ? list.size() : 1;
  }

  private boolean holdsForOne(Condition condition, Object value) {
    Operator op = condition.operator();
    String literal = condition.literal();
    return switch (condition.variable().kind()) {
      case NUMBER -> value instanceof Double number && compare(op, Double.compare(number,
          Literals.number(literal).orElseThrow()));
      case TIME, SENSOR_TIME -> compare(op, Long.compare((Long) value,
          StoreTime.nanos(Literals.instant(literal).orElseThrow())));
      case AGE -> compare(op, Duration.ofNanos(StoreTime.nanos(now) - (Long) value)
          .compareTo(Literals.duration(literal).orElseThrow()));
      case SEVERITY -> op.isTextual() || Literals.number(literal).isEmpty()
          ? holdsForText(op, literal, (String) value)
          : LevelNumbers.of((String) value).stream().anyMatch(number -> compare(op, Double.compare(number,
              Literals.number(literal).orElseThrow())));
      case MODSEC -> op == Operator.EQ && Literals.number(literal).isPresent()
          ? value.equals(literal) || numericallyEqual(((String) value).trim(), literal)
          : holdsForText(op, literal, (String) value);
      default -> holdsForText(op, literal, value instanceof Double d ? canonical(d) : String.valueOf(value));
    };
  }

  /** Two decimal numbers of equal value however written ({@code 443}, {@code 443.0}); false if one is not one. */
  private static boolean numericallyEqual(String value, String literal) {
    return Literals.number(value).isPresent() && Literals.sameNumber(value, literal);
  }

  private boolean holdsForText(Operator op, String literal, String value) {
    return switch (op) {
      case EQ -> value.equals(literal);
      case LT, LE, GT, GE -> {
        Optional<Double> number = Literals.number(literal);
        if (number.isPresent()) {
          Optional<Double> actual = Literals.number(value.trim());
          yield actual.isPresent() && compare(op, Double.compare(actual.get(), number.get()));
        }
        yield compare(op, compareCodePoints(value, literal));
      }
      case RX -> matches(literal, value);
      case PM -> {
        for (String phrase : literal.trim().split("\\s+")) {
          checkpoint.run();
          if (!phrase.isEmpty() && value.contains(phrase)) {
            yield true;
          }
        }
        yield false;
      }
      case SX -> matches(Literals.wildcardRegex(literal), value);
      case IN -> Literals.list(literal).stream().anyMatch(p -> matches(Literals.wildcardRegex(p), value));
      case CONTAINS -> value.contains(literal);
      case BEGINS_WITH -> value.startsWith(literal);
      case ENDS_WITH -> value.endsWith(literal);
      case IP_MATCH -> Literals.address(value.trim())
          .map(address -> Literals.list(literal).stream()
              .anyMatch(range -> Literals.Cidr.parse(range).orElseThrow().contains(address)))
          .orElse(false);
    };
  }

  /** Whether the pattern matches the whole value, read through the checkpoint. */
  private boolean matches(String regex, String value) {
    return patterns.computeIfAbsent(regex, Pattern::compile).matcher(new CheckedText(value, checkpoint)).matches();
  }

  /** Whether an order ({@link Integer#compare} style) satisfies a comparison operator. */
  public static boolean compare(Operator op, int order) {
    return switch (op) {
      case EQ -> order == 0;
      case LT -> order < 0;
      case LE -> order <= 0;
      case GT -> order > 0;
      case GE -> order >= 0;
      default -> throw new IllegalArgumentException(op + " is not a comparison");
    };
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** A number as text the way it was most likely written: no trailing ".0" on whole numbers. */
  private static String canonical(double number) {
    return number == Math.rint(number) && Math.abs(number) < 1e15
        ? Long.toString((long) number) : Double.toString(number).toLowerCase(Locale.ROOT);
  }
}
