package io.auditlog.filter;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The positive operators; {@code !=}, {@code <>} and every {@code !@op} are their negations. */
public enum Operator {
  EQ("="), LT("<"), LE("<="), GT(">"), GE(">="),
  RX("@rx"), PM("@pm"), SX("@sx"), IN("@in"), CONTAINS("@contains"), BEGINS_WITH("@beginsWith"),
  ENDS_WITH("@endsWith"), IP_MATCH("@ipMatch");

  private static final Map<String, Operator> NAMED = Map.ofEntries(
      Map.entry("@eq", EQ), Map.entry("@lt", LT), Map.entry("@le", LE), Map.entry("@gt", GT), Map.entry("@ge", GE),
      Map.entry("@rx", RX), Map.entry("@pm", PM), Map.entry("@sx", SX), Map.entry("@in", IN),
      Map.entry("@contains", CONTAINS), Map.entry("@beginswith", BEGINS_WITH), Map.entry("@endswith", ENDS_WITH),
      Map.entry("@ipmatch", IP_MATCH));

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** True for the operators that compare strings by pattern ({@code @rx} through {@code @ipMatch}). */
  public boolean isTextual() {
    return ordinal() >= RX.ordinal();
  }

  /** An operator as written, with whether it is negated; empty when there is no such operator. */
  public record Written(Operator operator, boolean negated) {
  }

  public static Optional<Written> parse(String text) {
    return switch (text) {
      case "=", "==" -> Optional.of(new Written(EQ, false));
      case "!=", "<>" -> Optional.of(new Written(EQ, true));
      case "<" -> Optional.of(new Written(LT, false));
      case "<=" -> Optional.of(new Written(LE, false));
      case ">" -> Optional.of(new Written(GT, false));
      case ">=" -> Optional.of(new Written(GE, false));
      default -> {
        boolean negated = text.startsWith("!");
        Operator named = NAMED.get((negated ? text.substring(1) : text).toLowerCase(Locale.ROOT));
        yield Optional.ofNullable(named).map(op -> new Written(op, negated));
      }
    };
  }
}
