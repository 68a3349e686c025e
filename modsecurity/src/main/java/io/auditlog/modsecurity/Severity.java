package io.auditlog.modsecurity;

import java.util.OptionalInt;

/** ModSecurity severities: names and digits to numbers (0 emergency … 7 debug). */
public final class Severity {
  private Severity() {
  }

  public static OptionalInt number(String nameOrDigit) {
    throw new UnsupportedOperationException();
  }
}
