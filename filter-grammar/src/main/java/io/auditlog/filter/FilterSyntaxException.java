package io.auditlog.filter;

/** A filter that cannot be used, with the 1-based line and column of the offending character. */
public final class FilterSyntaxException extends RuntimeException {

  private final int line;
  private final int column;
  private final String reason;

  public FilterSyntaxException(int line, int column, String reason) {
    super("line " + line + ":" + column + ": " + reason, null, false, false);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public String reason() {
    return reason;
  }
}
