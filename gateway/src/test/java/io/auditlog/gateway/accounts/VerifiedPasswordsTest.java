package io.auditlog.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifiedPasswordsTest {

  private final VerifiedPasswords verified = new VerifiedPasswords(Duration.ofMinutes(5));

  private static Account account(long id, String passwordHash) {
    return new Account(id, "user" + id, "u@b.c", passwordHash, true, false, Optional.empty(), 0, "sealed",
        OffsetDateTime.now(), OffsetDateTime.now());
  }

  @Test
  void aRememberedPasswordIsConfirmedForItsAccountAndHashOnly() {
    Account account = account(7, "$argon2id$old");
    assertThat(verified.confirms(account, "Secret@123")).isFalse();
    verified.remember(account, "Secret@123");
    assertThat(verified.confirms(account, "Secret@123")).isTrue();
    assertThat(verified.confirms(account, "Secret@124")).isFalse();
    assertThat(verified.confirms(account(8, "$argon2id$old"), "Secret@123")).isFalse();
    assertThat(verified.confirms(account(7, "$argon2id$new"), "Secret@123")).isFalse();
  }

  @Test
  void theAccountIdAndPasswordCannotBeShiftedIntoEachOther() {
    verified.remember(account(1, "h"), "2pass");
    assertThat(verified.confirms(account(12, "h"), "pass")).isFalse();
  }

  @Test
  void aZeroTimeToLiveRemembersNothing() {
    VerifiedPasswords off = new VerifiedPasswords(Duration.ZERO);
    Account account = account(7, "$argon2id$h");
    off.remember(account, "Secret@123");
    assertThat(off.confirms(account, "Secret@123")).isFalse();
  }
}
