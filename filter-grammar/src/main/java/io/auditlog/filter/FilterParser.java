package io.auditlog.filter;

import io.auditlog.filter.grammar.FilterLexer;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses filter text into a {@link Filter}. The first problem stops the parse and becomes one
 * {@link FilterSyntaxException} naming its line, column and what was expected there.
 */
public final class FilterParser {

  private static final Pattern GLUED_OPERATOR = Pattern.compile("([^=<>!@]+)(==|!=|<>|<=|>=|=|<|>|!?@[A-Za-z]+)(.*)");
  /** The longest filter text accepted; the limit keeps every statement built from a filter a reasonable size. */
  public static final int MAX_LENGTH = 16_384;
  /** How deep parentheses and NOTs may nest: parsing and every pass over the tree recurse that deep. */
  public static final int MAX_NESTING = 64;

  private FilterParser() {
  }

  public static Filter parse(String text) {
    if (text == null || text.isBlank()) {
      return new Filter.MatchAll();
    }
    if (text.length() > MAX_LENGTH) {
      throw new FilterSyntaxException(1, 1, "a filter may be at most " + MAX_LENGTH + " characters long");
    }
    FilterLexer lexer = new FilterLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    lexer.addErrorListener(new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg,
          RecognitionException e) {
        throw new FilterSyntaxException(line, column + 1, "unexpected character");
      }
    });
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    checkNesting(tokens);
    io.auditlog.filter.grammar.FilterParser parser = new io.auditlog.filter.grammar.FilterParser(tokens);
    parser.removeErrorListeners();
    parser.setErrorHandler(new BailErrorStrategy());
    io.auditlog.filter.grammar.FilterParser.FilterContext tree;
    try {
      tree = parser.filter();
    } catch (ParseCancellationException e) {
      RecognitionException cause = (RecognitionException) e.getCause();
      throw describe(tokens, cause.getOffendingToken(), cause.getExpectedTokens());
    }
    return new AstBuilder().visit(tree);
  }

  /** Refuses parentheses and NOTs nested deeper than {@link #MAX_NESTING}, before anything recurses over them. */
  private static void checkNesting(CommonTokenStream tokens) {
    int depth = 0;
    int nots = 0;
    for (Token token : tokens.getTokens()) {
      switch (token.getType()) {
        case FilterLexer.LPAREN -> depth++;
        case FilterLexer.RPAREN -> depth = Math.max(0, depth - 1);
        case FilterLexer.NOT -> nots++;
        case FilterLexer.WS -> { }
        default -> nots = 0;
      }
      if (depth + nots > MAX_NESTING) {
        throw new FilterSyntaxException(token.getLine(), token.getCharPositionInLine() + 1,
            "parentheses and NOT may nest at most " + MAX_NESTING + " deep");
      }
    }
  }

  /** Turns the parser's position and expectations into a sentence a user can act on. */
  private static FilterSyntaxException describe(CommonTokenStream tokens, Token offending, IntervalSet expected) {
    Token previous = previousVisible(tokens, offending);
    int line = offending.getLine();
    int column = offending.getCharPositionInLine() + 1;
    String found = offending.getType() == Token.EOF ? "" : ", found '" + offending.getText() + "'";
    if (offending.getType() == FilterLexer.UNTERMINATED) {
      return new FilterSyntaxException(line, column, "unterminated quoted value");
    }
    if (offending.getType() == FilterLexer.LPAREN && previous != null
        && previous.getStopIndex() + 1 == offending.getStartIndex()) {
      return new FilterSyntaxException(line, column,
          "a value containing '(' must be quoted, e.g. '" + previous.getText() + "(...'");
    }
    if (previous == null) {
      return new FilterSyntaxException(line, column, "expected a condition" + found);
    }
    if (expected.contains(FilterLexer.SQ_STRING)) {
      return new FilterSyntaxException(line, column, "expected a value after '" + previous.getText() + "'" + found);
    }
    if (expected.contains(FilterLexer.EQ)) {
      FilterSyntaxException glued = operatorWithoutSpaces(previous);
      return glued != null ? glued : new FilterSyntaxException(line, column,
          "expected an operator after '" + previous.getText() + "'" + found);
    }
    if (expected.contains(FilterLexer.RPAREN) && !expected.contains(FilterLexer.LPAREN)) {
      return new FilterSyntaxException(line, column, offending.getType() == Token.EOF
          ? "expected ')' to close the group" : "expected AND, OR or ')'" + found);
    }
    if (expected.contains(Token.EOF) && !expected.contains(FilterLexer.LPAREN)) {
      return new FilterSyntaxException(line, column, offending.getType() == FilterLexer.RPAREN
          ? "unexpected ')' without a matching '('" : "expected AND, OR or the end of the filter" + found);
    }
    return new FilterSyntaxException(line, column,
        "expected a condition after '" + previous.getText() + "'" + found);
  }

  /** {@code method=POST}: one word holding an operator; points at the operator and shows the spaced form. */
  private static FilterSyntaxException operatorWithoutSpaces(Token word) {
    Matcher m = GLUED_OPERATOR.matcher(word.getText());
    if (!m.matches()) {
      return null;
    }
    return new FilterSyntaxException(word.getLine(), word.getCharPositionInLine() + m.start(2) + 1,
        "an operator needs white space on both sides: write '" + m.group(1) + " " + m.group(2) + " " + m.group(3)
            + "'");
  }

  private static Token previousVisible(CommonTokenStream tokens, Token offending) {
    for (int i = offending.getTokenIndex() - 1; i >= 0; i--) {
      Token token = tokens.get(i);
      if (token.getChannel() == Token.DEFAULT_CHANNEL) {
        return token;
      }
    }
    return null;
  }
}
