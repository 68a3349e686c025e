package io.auditlog.filter;

import io.auditlog.filter.grammar.FilterBaseVisitor;
import io.auditlog.filter.grammar.FilterLexer;
import io.auditlog.filter.grammar.FilterParser.AndExprContext;
import io.auditlog.filter.grammar.FilterParser.ConditionContext;
import io.auditlog.filter.grammar.FilterParser.ConditionExprContext;
import io.auditlog.filter.grammar.FilterParser.FilterContext;
import io.auditlog.filter.grammar.FilterParser.GroupExprContext;
import io.auditlog.filter.grammar.FilterParser.NotExprContext;
import io.auditlog.filter.grammar.FilterParser.OrExprContext;
import io.auditlog.filter.grammar.FilterParser.ValueContext;
import java.util.List;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.antlr.v4.runtime.Token;

/** Builds the {@link Filter} tree from the parse tree, resolving variables and operators and checking literals. */
final class AstBuilder extends FilterBaseVisitor<Filter> {

  @Override
  public Filter visitFilter(FilterContext ctx) {
    return ctx.orExpr() == null ? new Filter.MatchAll() : visit(ctx.orExpr());
  }

  @Override
  public Filter visitOrExpr(OrExprContext ctx) {
    List<Filter> parts = ctx.andExpr().stream().map(this::visit).toList();
    return parts.size() == 1 ? parts.get(0) : new Filter.Or(parts);
  }

  @Override
  public Filter visitAndExpr(AndExprContext ctx) {
    List<Filter> parts = ctx.unary().stream().map(this::visit).toList();
    return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
  }

  @Override
  public Filter visitNotExpr(NotExprContext ctx) {
    return new Filter.Not(visit(ctx.unary()));
  }

  @Override
  public Filter visitGroupExpr(GroupExprContext ctx) {
    return visit(ctx.orExpr());
  }

  @Override
  public Filter visitConditionExpr(ConditionExprContext ctx) {
    return visit(ctx.condition());
  }

  @Override
  public Filter visitCondition(ConditionContext ctx) {
    Token name = ctx.variable;
    boolean counted = name.getType() == FilterLexer.COUNT;
    String written = counted ? name.getText().substring(1) : name.getText();
    Variable resolved = Variables.resolve(written)
        .orElseThrow(() -> error(name, "unknown variable '" + written + "'"));
    Variable variable = counted ? resolved.count() : resolved;
    Token operatorToken = ctx.operator().getStart();
    Operator.Written operator = Operator.parse(operatorToken.getText())
        .orElseThrow(() -> error(operatorToken, "unknown operator '" + operatorToken.getText() + "'"));
    Token valueToken = ctx.value().getStart();
    String literal = literal(ctx.value());
    check(variable, operator.operator(), literal, valueToken, operatorToken.getText());
    return new Filter.Condition(variable, operator.operator(), operator.negated(), literal);
  }

  private static void check(Variable variable, Operator operator, String literal, Token at, String written) {
    if (variable.counted()) {
      checkNumber(variable, operator, literal, at, written);
      return;
    }
    switch (variable.kind()) {
      case NUMBER -> checkNumber(variable, operator, literal, at, written);
      case TIME, SENSOR_TIME -> {
        if (operator.isTextual() || Literals.instant(literal).isEmpty()) {
          throw error(at, "expected a date or time after '" + written + "' for " + variable.name());
        }
      }
      case AGE -> {
        if (operator.isTextual() || Literals.duration(literal).isEmpty()) {
          throw error(at, "expected a duration such as 15m or 1d after '" + written + "'");
        }
      }
      default -> checkText(operator, literal, at);
    }
  }

  private static void checkNumber(Variable variable, Operator operator, String literal, Token at, String written) {
    if (operator.isTextual()) {
      throw error(at, "'" + written + "' does not apply to the number " + variable.name());
    }
    if (Literals.number(literal).isEmpty()) {
      throw error(at, "expected a number after '" + written + "' for " + variable.name());
    }
  }

  private static void checkText(Operator operator, String literal, Token at) {
    if (operator == Operator.RX) {
      PatternLimits.violation(literal).ifPresent(reason -> {
        throw error(at, "invalid regular expression: " + reason);
      });
      try {
        Pattern.compile(literal);
        Pattern.compile(Literals.anchoredRegex(literal));
      } catch (PatternSyntaxException e) {
        String description = e.getDescription().contains("Perl syntax") || e.getDescription().contains("escape")
            ? " (RE2 has no lookaround or backreferences): " : ": ";
        String where = e.getPattern().isEmpty() || e.getPattern().equals(literal) ? "" : ": `" + e.getPattern() + "`";
        throw error(at, "invalid regular expression" + description + e.getDescription() + where);
      }
    }
    if (operator == Operator.IP_MATCH) {
      List<String> ranges = Literals.list(literal);
      if (ranges.isEmpty() || ranges.stream().anyMatch(r -> Literals.Cidr.parse(r).isEmpty())) {
        throw error(at, "expected IP addresses or CIDR ranges separated by commas");
      }
    }
  }

  /** The literal's text: quotes removed, {@code \'} {@code \"} and {@code \\} unescaped, other backslashes kept. */
  private static String literal(ValueContext value) {
    Token token = value.getStart();
    String text = token.getText();
    if (token.getType() != FilterLexer.SQ_STRING && token.getType() != FilterLexer.DQ_STRING) {
      return text;
    }
    char quote = text.charAt(0);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 1; i < text.length() - 1; i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() - 1 && (text.charAt(i + 1) == quote || text.charAt(i + 1) == '\\')) {
        out.append(text.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static FilterSyntaxException error(Token at, String reason) {
    return new FilterSyntaxException(at.getLine(), at.getCharPositionInLine() + 1, reason);
  }
}
