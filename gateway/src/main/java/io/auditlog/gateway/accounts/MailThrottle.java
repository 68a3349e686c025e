package io.auditlog.gateway.accounts;

import io.auditlog.gateway.limits.AttemptLimits;
import io.auditlog.gateway.limits.AttemptLimits.Limit;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Limits the requests that send an account mail — sign-up, resend of the activation link, forgotten password — per
 * email address and per client address, across every gateway: at {@code perEmail} or {@code perAddress} requests
 * within the window, further ones are a 429 with {@code Retry-After}. Every request with a valid form counts, whether
 * the address is registered or not, so the limit itself reveals nothing. Addresses that reach one mailbox count as
 * one: the local part is compared without case, dots or a {@code +tag}, the domain without case.
 */
public final class MailThrottle {

  private static final String REFUSAL = "Too many requests; retry later.";

  private final AttemptLimits limits;
  private final int perEmail;
  private final int perAddress;
  private final Duration window;

  public MailThrottle(AttemptLimits limits, int perEmail, int perAddress, Duration window) {
    this.limits = limits;
    this.perEmail = perEmail;
    this.perAddress = perAddress;
    this.window = window;
  }

  /** Counts one request for the email from the client address, or fails with a 429. */
  public Future<Void> admit(String email, String address) {
    return limits.reserve(List.of(
        new Limit("mail-email:" + AccessKeys.hash(mailbox(email)), perEmail, window),
        new Limit("mail-address:" + address, perAddress, window)), REFUSAL).mapEmpty();
  }

  /** The mailbox an address reaches as the usual providers read it: {@code a.b+x@Example.com} is ab@example.com. */
  static String mailbox(String email) {
    int at = email.lastIndexOf('@');
    String local = email.substring(0, at);
    int plus = local.indexOf('+');
    if (plus >= 0) {
      local = local.substring(0, plus);
    }
    return (local.replace(".", "") + email.substring(at)).toLowerCase(Locale.ROOT);
  }
}
