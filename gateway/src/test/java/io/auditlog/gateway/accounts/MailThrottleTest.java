package io.auditlog.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Addresses that reach one mailbox count as one for the mail limits. */
class MailThrottleTest {

  @ParameterizedTest
  @CsvSource({
      "alice@example.com,           alice@example.com",
      "Alice@Example.COM,           alice@example.com",
      "a.l.i.c.e@example.com,       alice@example.com",
      "alice+newsletter@example.com, alice@example.com",
      "A.lice+x+y@EXAMPLE.com,      alice@example.com",
      "bob@example.com,             bob@example.com"})
  void oneMailboxOneKey(String email, String mailbox) {
    assertThat(MailThrottle.mailbox(email)).isEqualTo(mailbox);
  }
}
