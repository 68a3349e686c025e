package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The field rules of the account forms: username, email and password policy, each failure reported with its
 * {@code ["form", field]} loc. A repeated password is compared only once the password itself passes.
 */
final class AccountForms {

  private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@-]+");
  /** The WHATWG (HTML) e-mail syntax, with at least one dot in the domain. */
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]"
      + "(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  private final MultiMap form;
  private final List<FieldError> errors = new ArrayList<>();

  AccountForms(MultiMap form) {
    this.form = form;
  }

  String username() {
    String value = required("username");
    if (value == null) {
      return null;
    }
    int length = value.codePointCount(0, value.length());
    if (length < 5 || length > 32) {
      return fail("username", "must be 5 to 32 characters long", "value_error.str.length");
    }
    if (!USERNAME.matcher(value).matches()) {
      return fail("username", "may contain only letters, digits and . _ @ -", "value_error.str.regex");
    }
    return value;
  }

  /** The address with its domain lower-cased. */
  String email() {
    String value = required("email");
    if (value == null) {
      return null;
    }
    if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
      return fail("email", "value is not a valid email address", "value_error.email");
    }
    int at = value.lastIndexOf('@');
    return value.substring(0, at + 1) + value.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  /** A password that follows the policy, and its repetition. */
  String newPassword(String field, String repeatField) {
    String value = required(field);
    String repeat = required(repeatField);
    if (value == null) {
      return null;
    }
    String problem = policyProblem(value);
    if (problem != null) {
      return fail(field, problem, "value_error.password");
    }
    if (repeat != null && !repeat.equals(value)) {
      return fail(repeatField, "passwords do not match", "value_error.password.mismatch");
    }
    return repeat == null ? null : value;
  }

  String required(String field) {
    String value = form.get(field);
    if (value == null || value.isEmpty()) {
      errors.add(FieldError.missing(List.of("form", field)));
      return null;
    }
    return value;
  }

  /** Throws the 422 when any field failed. */
  void check() {
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }

  private String fail(String field, String msg, String type) {
    errors.add(new FieldError(List.of("form", field), msg, type));
    return null;
  }

  static String policyProblem(String password) {
    int length = password.codePointCount(0, password.length());
    if (length < 8 || length > 64) {
      return "must be 8 to 64 characters long";
    }
    boolean lower = password.codePoints().anyMatch(Character::isLowerCase);
    boolean upper = password.codePoints().anyMatch(Character::isUpperCase);
    boolean digit = password.codePoints().anyMatch(Character::isDigit);
    boolean special = password.codePoints()
        .anyMatch(c -> !Character.isLetterOrDigit(c) && c != '_' && !Character.isWhitespace(c));
    if (!lower || !upper || !digit || !special) {
      return "must contain a lower-case letter, an upper-case letter, a digit and a special character";
    }
    return null;
  }
}
