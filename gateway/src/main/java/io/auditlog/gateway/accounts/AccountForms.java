package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The field rules of the account forms: username, email and password policy ({@link PasswordPolicy}), each failure
 * reported with its {@code ["form", field]} loc, and the query parameters they need ({@code ["query", name]}). A
 * repeated password is compared only once the password itself passes.
 */
final class AccountForms {

  private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@-]+");
  /** The WHATWG (HTML) e-mail syntax, with at least one dot in the domain. */
  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]"
      + "(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  private final MultiMap form;
  private final MultiMap query;
  private final List<FieldError> errors = new ArrayList<>();

  private AccountForms(MultiMap form, MultiMap query) {
    this.form = form;
    this.query = query;
  }

  /** The form fields and query parameters of a request. */
  static AccountForms of(RoutingContext ctx) {
    return new AccountForms(ctx.request().formAttributes(), ctx.queryParams());
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
    Optional<String> problem = PasswordPolicy.problem(value);
    if (problem.isPresent()) {
      return fail(field, problem.get(), "value_error.password");
    }
    if (repeat != null && !repeat.equals(value)) {
      return fail(repeatField, "passwords do not match", "value_error.password.mismatch");
    }
    return repeat == null ? null : value;
  }

  String required(String field) {
    return present(form.get(field), "form", field);
  }

  /** A query parameter the request cannot do without, reported as {@code ["query", name]} when missing or empty. */
  String requiredQuery(String name) {
    return present(query.get(name), "query", name);
  }

  private String present(String value, String location, String name) {
    if (value == null || value.isEmpty()) {
      errors.add(FieldError.missing(List.of(location, name)));
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
}
