package io.auditlog.gateway.accounts;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The password rules: the policy every account's new password follows (signup, change, reset), and the stricter
 * test of the admin password read from configuration, which anyone who knows the project could otherwise guess.
 */
public final class PasswordPolicy {

  /** Lower-cased letters that no admin password may contain: the account's name and the usual placeholders. */
  private static final List<String> GUESSABLE = List.of("admin", "password", "changeme", "auditlog");
  private static final int ADMIN_MINIMUM = 12;

  private PasswordPolicy() {
  }

  /** Why a new password breaks the policy, or empty when it follows it. */
  public static Optional<String> problem(String password) {
    int length = password.codePointCount(0, password.length());
    if (length < 8 || length > 64) {
      return Optional.of("must be 8 to 64 characters long");
    }
    boolean lower = password.codePoints().anyMatch(Character::isLowerCase);
    boolean upper = password.codePoints().anyMatch(Character::isUpperCase);
    boolean digit = password.codePoints().anyMatch(Character::isDigit);
    boolean special = password.codePoints()
        .anyMatch(c -> !Character.isLetterOrDigit(c) && c != '_' && !Character.isWhitespace(c));
    if (!lower || !upper || !digit || !special) {
      return Optional.of("must contain a lower-case letter, an upper-case letter, a digit and a special character");
    }
    return Optional.empty();
  }

  /**
   * Why a configured admin password is weak, or empty when it is not: it must follow the policy, have at least 12
   * characters, and its letters must not spell the account's name or a placeholder ({@code Admin@12345}, the old
   * default, and {@code Change@Me123}, the example's, are both refused).
   */
  public static Optional<String> adminProblem(String password) {
    if (password.isEmpty()) {
      return Optional.of("must be set");
    }
    Optional<String> policy = problem(password);
    if (policy.isPresent()) {
      return policy;
    }
    if (password.codePointCount(0, password.length()) < ADMIN_MINIMUM) {
      return Optional.of("must be at least " + ADMIN_MINIMUM + " characters long");
    }
    String letters = password.replaceAll("[^\\p{L}]", "").toLowerCase(Locale.ROOT);
    return GUESSABLE.stream().filter(letters::contains).findFirst()
        .map(word -> "is guessable: it spells \"" + word + "\"");
  }
}
